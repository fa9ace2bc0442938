package dev.weft.testkit;

import dev.weft.net.TransportClosedException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.net.NetworkLoop;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.net.BindException;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
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
        return listenUnix(net(), address, protocols);
    }

    /** Listen on the path on {@code on}, or skip the test if that loop has no Unix sockets. In a task of that loop. */
    private Server listenUnix(NetworkLoop on, UnixDomainSocketAddress address,
                              Supplier<? extends StreamProtocol> protocols) {
        try {
            return on.listen(address, protocols, SocketOptions.DEFAULTS).await();
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
     * false states a known limitation of the library under it, and says which in its test list; its transports must
     * then refuse a write after the peer's EOF at once, saying why, rather than lose it.
     */
    protected boolean unixSocketsHalfClose() {
        return true;
    }

    @Test
    void halfCloseOverAUnixSocketAnswersAfterThePeersEofOrRefusesSayingWhy() {
        UnixDomainSocketAddress address = address("half.sock");
        List<Throwable> refused = new ArrayList<>();
        Accepted<RecordingProtocol> accepted = new Accepted<>(() -> new RecordingProtocol() {
            @Override
            public boolean eofReceived() {
                super.eofReceived();
                try {
                    transport().write(utf8("heard: " + text()));
                    transport().close();
                } catch (TransportClosedException e) {
                    refused.add(e);
                }
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
            accepted.nth(0).await().lost().await();
            server.close();
            return protocol;
        });
        if (unixSocketsHalfClose()) {
            assertEquals(List.of(), refused);
            assertEquals("heard: over", client.text());
            assertEquals(List.of("made", "data", "eof", "lost"), client.events());
        } else {
            assertEquals(1, refused.size(), "the write after the peer's EOF is refused at once");
            assertTrue(refused.getFirst().getMessage().contains("cannot half-close"), refused.getFirst().getMessage());
            assertEquals("", client.text());
            assertEquals(List.of("made", "eof", "lost"), client.events());
        }
        assertEquals(List.of("made", "data", "eof", "lost"), accepted.all().getFirst().events());
    }

    /** {@link StreamTests#answerInBurstsToAPeerThatEndedItsSide} over a Unix socket (epoll lost these too). */
    @Test
    void aPeerThatEndedItsSideGetsAnAnswerInBurstsOverAUnixSocket() {
        Assumptions.assumeTrue(unixSocketsHalfClose(), "this loop's Unix sockets cannot answer after the peer's EOF");
        UnixDomainSocketAddress address = address("bursts.sock");
        List<Boolean> hadToWait = run(() -> {
            listenUnix(address("probe.sock"), EchoProtocol::new).close(); // skips on a loop without Unix sockets
            return StreamTests.answerInBurstsToAPeerThatEndedItsSide(address);
        });
        assertEquals(List.of(true, true, true), hadToWait, "each burst filled the socket and waited");
    }

    /**
     * A reader that pauses in every {@code dataReceived} and resumes on the next loop iteration: Netty's reads in one
     * batch after the pause are held by the transport, and the peer's EOF comes with the last batch. Everything sent
     * arrives, then the EOF, then the loss, whether or not the socket can half-close.
     */
    @Test
    void whatWasReadWhilePausedArrivesBeforeThePeersEof() {
        UnixDomainSocketAddress address = address("paused.sock");
        byte[] payload = payload(4 * 1024 * 1024, 13);
        Accepted<RecordingProtocol> accepted = new Accepted<>(() -> new RecordingProtocol() {
            @Override
            public void dataReceived(ByteBuffer data) {
                super.dataReceived(data);
                transport().pauseReading();
                EventLoop.current().callSoon(transport()::resumeReading);
            }
        });
        Throwable cause = run(() -> {
            Server server = listenUnix(address, accepted);
            RecordingProtocol protocol = new RecordingProtocol();
            StreamTransport transport = net().connect(address, protocol, SocketOptions.DEFAULTS).await();
            transport.write(ByteBuffer.wrap(payload));
            transport.writeEof();
            Throwable serverLost = accepted.nth(0).await().lost().await();
            transport.close();
            server.close();
            return serverLost;
        });
        RecordingProtocol serverSide = accepted.all().getFirst();
        assertEquals(null, cause);
        assertEquals(payload.length, serverSide.bytes().length, "bytes received before the EOF");
        assertArrayEquals(payload, serverSide.bytes());
        assertEquals(List.of("made", "data", "eof", "lost"), serverSide.events());
    }

    @Test
    void closingTheServerDeletesTheSocketFileSoThePathCanBeBoundAgain() {
        UnixDomainSocketAddress address = address("reused.sock");
        List<Boolean> exists = run(() -> serveTwice(net(), address, true));
        assertEquals(List.of(true, false), exists);
        assertFalse(Files.exists(address.getPath()));
    }

    /**
     * The same, each on a loop of its own that closes right behind it, with the second server closing or still
     * listening: the loop's close finishes the server, which leaves neither its socket (checked after every test) nor
     * its file. On io_uring about one such server in a hundred was left unfinished, hence the rounds.
     */
    @Test
    void aServerClosingOrListeningAsItsLoopClosesLeavesNeitherItsSocketNorItsFile() {
        UnixDomainSocketAddress address = address("closed-with-its-loop.sock");
        for (int round = 0; round < 400; round++) {
            boolean closeSecond = round % 2 == 0;
            EventLoop each = openLoop();
            Loops.run(() -> each, () -> serveTwice((NetworkLoop) each, address, closeSecond));
            assertFalse(Files.exists(address.getPath()), "the socket file once the loop closed, round " + round
                    + (closeSecond ? " (server closing)" : " (server listening)"));
        }
    }

    /**
     * Listen on the path, close and await that server, listen there again and maybe close that one, without awaiting;
     * whether the file existed while the first served and after it closed. In a task of {@code on}.
     */
    private List<Boolean> serveTwice(NetworkLoop on, UnixDomainSocketAddress address, boolean closeSecond) {
        Server first = listenUnix(on, address, RecordingProtocol::new);
        boolean whileServing = Files.exists(address.getPath());
        first.close();
        first.closed().await();
        boolean afterClose = Files.exists(address.getPath());
        Server second = listenUnix(on, address, RecordingProtocol::new);
        if (closeSecond) {
            second.close();
        }
        return List.of(whileServing, afterClose);
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
