package dev.weft.testkit;

import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assumptions.assumeTrue;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.BindException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same transports over Unix domain stream sockets: echo, half-close, a server that owns its socket file (deleted
 * when it closes, so the path can be bound again), and failures that name the path. Skipped, saying so, on a loop
 * that has no Unix sockets (its listen throws UnsupportedOperationException).
 */
public abstract class UnixTransportSuite extends AbstractTransportSuite {
    @TempDir
    Path dir;

    private UnixDomainSocketAddress address(String name) {
        return UnixDomainSocketAddress.of(dir.resolve(name));
    }

    /** Listen on the path, or skip the test if this loop has no Unix sockets. In a task. */
    private Server listenUnix(UnixDomainSocketAddress address, Supplier<? extends StreamProtocol> protocols) {
        try {
            return net().listen(address, protocols, SocketOptions.DEFAULTS).await();
        } catch (UnsupportedOperationException e) {
            // A backend without Unix domain sockets skips the suite and says why; it does not fail it.
            return Assumptions.abort("the " + loop.backendName() + " loop has no Unix domain sockets: "
                    + e.getMessage());
        }
    }

    @Test
    void echoesOverAUnixSocket() {
        UnixDomainSocketAddress address = address("echo.sock");
        byte[] payload = payload(1024 * 1024, 11);
        Accepted<EchoProtocol> accepted = new Accepted<>(EchoProtocol::new);
        List<Object> seen = run(() -> {
            Server server = listenUnix(address, accepted);
            RecordingProtocol client = new RecordingProtocol();
            StreamTransport transport = net().connect(address, client, SocketOptions.DEFAULTS).await();
            transport.write(ByteBuffer.wrap(payload));
            transport.writeEof();
            client.lost().await();
            accepted.nth(0).await().lost().await();
            List<Object> result = List.of(client, server.addresses(), transport.remoteAddress());
            server.close();
            return result;
        });
        RecordingProtocol client = (RecordingProtocol) seen.get(0);
        assertArrayEquals(payload, client.bytes());
        assertEquals(List.of("made", "data", "eof", "lost"), client.eventsWithout("pause", "resume"));
        RecordingProtocol serverSide = accepted.all().getFirst();
        assertEquals(List.of("made", "data", "eof", "lost"), serverSide.eventsWithout("pause", "resume"));
        assertEquals(List.of(address), seen.get(1));
        assertEquals(address, seen.get(2));
    }

    /**
     * Whether the backend's Unix sockets stay open for writing after the peer's EOF. A backend that overrides this to
     * false states a known limitation of the library under it, and says which in its test list.
     */
    protected boolean unixSocketsHalfClose() {
        return true;
    }

    @Test
    void halfCloseWorksOverAUnixSocket() {
        assumeTrue(unixSocketsHalfClose(), "the " + loop.backendName() + " loop's Unix sockets close at the peer's EOF");
        UnixDomainSocketAddress address = address("half.sock");
        Accepted<RecordingProtocol> accepted = new Accepted<>(() -> new RecordingProtocol() {
            @Override
            public boolean eofReceived() {
                super.eofReceived();
                transport().write(utf8("heard: " + text()));
                transport().close();
                return true;
            }
        });
        RecordingProtocol client = run(() -> {
            Server server = listenUnix(address, accepted);
            RecordingProtocol protocol = new RecordingProtocol();
            StreamTransport transport = net().connect(address, protocol, SocketOptions.DEFAULTS).await();
            transport.write(utf8("over"));
            transport.writeEof();
            protocol.lost().await();
            server.close();
            return protocol;
        });
        assertEquals("heard: over", client.text());
        assertEquals(List.of("made", "data", "eof", "lost"), client.events());
    }

    @Test
    void closingTheServerDeletesTheSocketFileSoThePathCanBeBoundAgain() {
        UnixDomainSocketAddress address = address("reused.sock");
        List<Boolean> exists = run(() -> {
            Server first = listenUnix(address, RecordingProtocol::new);
            boolean whileServing = Files.exists(address.getPath());
            first.close();
            first.closed().await();
            boolean afterClose = Files.exists(address.getPath());
            Server second = listenUnix(address, RecordingProtocol::new);
            second.close();
            return List.of(whileServing, afterClose);
        });
        assertEquals(List.of(true, false), exists);
        assertFalse(Files.exists(address.getPath()));
    }

    @Test
    void listeningOnAPathInUseIsABindExceptionNamingIt() {
        UnixDomainSocketAddress address = address("taken.sock");
        Throwable failure = run(() -> {
            Server first = listenUnix(address, RecordingProtocol::new);
            Throwable error = failureOf(net().listen(address, RecordingProtocol::new, SocketOptions.DEFAULTS));
            first.close();
            return error;
        });
        assertInstanceOf(BindException.class, failure);
        assertTrue(failure.getMessage().contains(address.getPath().toString()), failure.getMessage());
    }

    @Test
    void connectingToAPathNobodyListensOnFailsNamingIt() throws IOException {
        UnixDomainSocketAddress address = address("nobody.sock");
        Throwable failure = run(() -> {
            listenUnix(address("probe.sock"), RecordingProtocol::new).close(); // skips if there are no Unix sockets
            return failureOf(net().connect(address, new RecordingProtocol(), SocketOptions.DEFAULTS));
        });
        assertInstanceOf(IOException.class, failure);
        assertTrue(failure.getMessage().contains(address.getPath().toString()), failure.getMessage());
    }
}
