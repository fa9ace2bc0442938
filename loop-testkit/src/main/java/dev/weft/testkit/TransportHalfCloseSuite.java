package dev.weft.testkit;

import dev.weft.net.TransportClosedException;
import dev.weft.net.Server;
import dev.weft.net.StreamTransport;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Half-close: {@code writeEof} ends one direction after the data already written, the other goes on; the peer hears
 * it as {@code eofReceived}, whose answer decides whether its transport stays open for writing.
 */
public abstract class TransportHalfCloseSuite extends AbstractTransportSuite {

    /** The request/response shape: the client sends, half-closes, and reads the whole answer. */
    @Test
    void clientWritesEofAndTheServerKeepsWritingThenCloses() {
        Accepted<RecordingProtocol> accepted = new Accepted<>(() -> new RecordingProtocol() {
            @Override
            public boolean eofReceived() {
                super.eofReceived();
                transport().write(utf8("you said '" + text() + "'; "));
                transport().write(utf8("bye"));
                transport().close();
                return true;
            }
        });
        List<Object> seen = run(() -> {
            Server server = listen(accepted);
            RecordingProtocol client = new RecordingProtocol();
            StreamTransport transport = connect(server, client);
            assertTrue(transport.canWriteEof());
            transport.write(utf8("hello"));
            transport.writeEof();
            transport.writeEof(); // again: harmless
            boolean closingAfterEof = transport.isClosing();
            TransportClosedException writeAfterEof = assertThrows(TransportClosedException.class,
                    () -> transport.write(utf8("too late")));
            client.lost().await();
            accepted.nth(0).await().lost().await();
            server.close();
            return List.of(client, closingAfterEof, writeAfterEof);
        });
        RecordingProtocol client = (RecordingProtocol) seen.get(0);
        RecordingProtocol serverSide = accepted.all().getFirst();
        assertEquals(false, seen.get(1), "writeEof half-closes: the transport is not closing");
        assertEquals("hello", serverSide.text());
        assertEquals("you said 'hello'; bye", client.text());
        assertEquals(List.of("made", "data", "eof", "lost"), client.events());
        assertEquals(List.of("made", "data", "eof", "lost"), serverSide.events());
        assertNull(client.lost().result());
        assertNull(serverSide.lost().result());
    }

    /** The other direction: the server greets and half-closes; the client, still open, talks and closes. */
    @Test
    void serverWritesEofAndTheClientKeepsWriting() {
        Accepted<RecordingProtocol> accepted = new Accepted<>(() -> new RecordingProtocol() {
            @Override
            public void connectionMade(StreamTransport transport) {
                super.connectionMade(transport);
                transport.write(utf8("greetings"));
                transport.writeEof();
            }
        });
        RecordingProtocol client = run(() -> {
            Server server = listen(accepted);
            RecordingProtocol protocol = new RecordingProtocol().keepOpenOnEof();
            StreamTransport transport = connect(server, protocol);
            protocol.eof().await();
            assertFalse(transport.isClosing(), "eofReceived answered true: still open for writing");
            transport.write(utf8("words after your EOF"));
            transport.close();
            protocol.lost().await();
            accepted.nth(0).await().lost().await();
            server.close();
            return protocol;
        });
        RecordingProtocol serverSide = accepted.all().getFirst();
        assertEquals("greetings", client.text());
        assertEquals("words after your EOF", serverSide.text());
        assertEquals(List.of("made", "data", "eof", "lost"), client.events());
        assertEquals(List.of("made", "data", "eof", "lost"), serverSide.events());
    }

    /** EOF goes out after everything written before it, even what is still buffered. */
    @Test
    void writeEofWaitsForTheBufferedData() {
        byte[] payload = payload(4 * 1024 * 1024, 7);
        Accepted<RecordingProtocol> accepted = new Accepted<>(() -> new RecordingProtocol().keepOpenOnEof());
        RecordingProtocol serverSide = run(() -> {
            Server server = listen(accepted);
            RecordingProtocol client = new RecordingProtocol();
            StreamTransport transport = connect(server, client);
            transport.write(ByteBuffer.wrap(payload));
            transport.writeEof();
            RecordingProtocol reader = accepted.nth(0).await();
            reader.eof().await();
            reader.transport().close();
            client.lost().await();
            reader.lost().await();
            server.close();
            return reader;
        });
        assertArrayEquals(payload, serverSide.bytes());
        assertEquals(List.of("made", "data", "eof", "lost"), serverSide.events());
    }

    /** The default answer to eofReceived (false) closes the transport, and connectionLost(null) follows. */
    @Test
    void anEofReceivedThatAnswersFalseClosesTheConnection() {
        Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
        List<Object> seen = run(() -> {
            Server server = listen(accepted);
            RecordingProtocol client = new RecordingProtocol().keepOpenOnEof();
            StreamTransport transport = connect(server, client);
            transport.writeEof();
            RecordingProtocol serverSide = accepted.nth(0).await();
            serverSide.lost().await();
            boolean serverClosing = serverSide.transport().isClosing();
            client.eof().await(); // the server's close reaches the client as EOF
            transport.close();
            client.lost().await();
            server.close();
            return List.of(client, serverClosing);
        });
        RecordingProtocol serverSide = accepted.all().getFirst();
        assertEquals(List.of("made", "eof", "lost"), serverSide.events());
        assertNull(serverSide.lost().result());
        assertEquals(true, seen.get(1), "isClosing after the connection was lost");
        assertEquals(List.of("made", "eof", "lost"), ((RecordingProtocol) seen.get(0)).events());
    }
}
