package dev.weft.testkit;

import dev.weft.loop.BlockingOnLoopException;
import dev.weft.net.NetworkLoop;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static dev.weft.testkit.StreamTests.ascii;
import static dev.weft.testkit.StreamTests.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Streams.openConnection and startServer: names resolved off the loop, each address tried in turn, and the typed
 * errors of a refused connection, an unknown name and a taken port, each naming what it is about.
 */
public abstract class StreamConnectSuite extends LoopSuite {
    /** Under the reserved .invalid top-level domain (RFC 6761): never resolves, and resolvers may say so locally. */
    private static final String NO_SUCH_HOST = "no-such-host.invalid";

    @BeforeEach
    final void requireNetworking() {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
    }

    /** A port nothing listens on: one a server had, closed again. */
    private static int closedPort() throws Exception {
        StreamServer server = Streams.startServer(StreamTests::echo, LOCALHOST, 0);
        int port = server.port();
        server.close();
        server.awaitClosed();
        return port;
    }

    @Test
    void aRefusedConnectionIsAConnectExceptionNamingHostAndPort() {
        ConnectException refused = run(() -> {
            int port = closedPort();
            ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection(LOCALHOST, port));
            assertTrue(e.getMessage().contains(LOCALHOST + ":" + port), "names host and port: " + e.getMessage());
            return e;
        });
        assertTrue(refused.getCause() != null, "the backend's own error is the cause");
    }

    @Test
    void anUnknownNameIsAnUnknownHostExceptionNamingTheHost() {
        UnknownHostException unknown = run(() -> assertThrows(UnknownHostException.class,
                () -> Streams.openConnection(NO_SUCH_HOST, 80)));
        assertTrue(unknown.getMessage().contains(NO_SUCH_HOST), "names the host: " + unknown.getMessage());
    }

    @Test
    void aNameConnectsThroughTheFirstOfItsAddressesThatAnswers() throws Exception {
        List<InetAddress> addresses = List.of(InetAddress.getAllByName("localhost"));
        assumeTrue(addresses.contains(InetAddress.getByName(LOCALHOST)), "localhost resolves to " + LOCALHOST);
        String echoed = run(() -> {
            StreamServer server = Streams.startServer(StreamTests::echo, LOCALHOST, 0);
            try (StreamConnection c = Streams.openConnection("localhost", server.port())) {
                c.writer().write(ascii("by name"));
                c.writer().writeEof();
                return text(c.reader().readAll());
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals("by name", echoed);
    }

    @Test
    void whenEveryAddressOfANameIsRefusedTheErrorNamesTheNameAndCarriesEachFailure() throws Exception {
        int addresses = InetAddress.getAllByName("localhost").length;
        ConnectException refused = run(() -> {
            int port = closedPort();
            ConnectException e = assertThrows(ConnectException.class, () -> Streams.openConnection("localhost", port));
            assertTrue(e.getMessage().contains("localhost:" + port), "names the name and port: " + e.getMessage());
            return e;
        });
        assertEquals(addresses - 1, refused.getSuppressed().length, "one failure per address: " + refused);
    }

    @Test
    void aTakenPortIsABindExceptionNamingTheAddress() {
        BindException taken = run(() -> {
            StreamServer first = Streams.startServer(StreamTests::echo, LOCALHOST, 0);
            try {
                int port = first.port();
                BindException e = assertThrows(BindException.class,
                        () -> Streams.startServer(StreamTests::echo, LOCALHOST, port));
                assertTrue(e.getMessage().contains(String.valueOf(port)), "names the port: " + e.getMessage());
                return e;
            } finally {
                first.close();
                first.awaitClosed();
            }
        });
        assertTrue(taken.getMessage().contains(LOCALHOST), taken.getMessage());
    }

    @Test
    void aServerOnEveryInterfaceReportsTheChosenPortAndAccepts() {
        String echoed = run(() -> {
            StreamServer server = Streams.startServer(StreamTests::echo, null, 0);
            try {
                assertTrue(server.port() > 0);
                assertTrue(server.addresses().getFirst() instanceof InetSocketAddress inet
                        && inet.getAddress().isAnyLocalAddress(), "bound to the wildcard: " + server.addresses());
                try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port())) {
                    c.writer().write(ascii("anywhere"));
                    c.writer().writeEof();
                    return text(c.reader().readAll());
                }
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals("anywhere", echoed);
    }

    @Test
    void connectingOnTheLoopThreadOutsideATaskFailsAtOnce() {
        onLoop(() -> assertThrows(BlockingOnLoopException.class, () -> Streams.openConnection(LOCALHOST, 9)));
    }
}
