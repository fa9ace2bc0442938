package dev.weft.testkit;

import dev.weft.loop.Future;
import dev.weft.loop.UnhandledError;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamTransport;
import org.junit.jupiter.api.Test;

import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * A server's life: it accepts until closed; {@code close} stops accepting and leaves accepted connections be,
 * {@code closeClients} also ends those; {@code closed()} completes when connecting is refused. Servers may share a
 * port with SO_REUSEPORT; a protocol factory that throws costs one connection, not the server.
 */
public abstract class TransportServerSuite extends AbstractTransportSuite {

    @Test
    void closeStopsAcceptingAndLeavesAcceptedConnectionsOpen() {
        List<Object> seen = run(() -> {
            Server server = listen(EchoProtocol::new);
            RecordingProtocol early = new RecordingProtocol();
            StreamTransport earlyTransport = connect(server, early);
            server.close();
            boolean servingAfterClose = server.isServing();
            server.closed().await();
            Throwable late = failureOf(net().connect(server.addresses().getFirst(), new RecordingProtocol(),
                    SocketOptions.DEFAULTS));
            earlyTransport.write(utf8("still here?"));
            early.received("still here?".length()).await();
            earlyTransport.close();
            early.lost().await();
            return List.of(servingAfterClose, late, early);
        });
        assertEquals(false, seen.get(0), "isServing after close");
        assertInstanceOf(ConnectException.class, seen.get(1), "a connect after closed() completed");
        RecordingProtocol early = (RecordingProtocol) seen.get(2);
        assertEquals("still here?", early.text(), "the connection accepted before close still echoes");
        assertEquals(List.of("made", "data", "lost"), early.events());
    }

    @Test
    void closeClientsEndsEveryAcceptedConnection() {
        int count = 3;
        Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
        List<RecordingProtocol> clients = new ArrayList<>();
        boolean serving = run(() -> {
            Server server = listen(accepted);
            for (int i = 0; i < count; i++) {
                RecordingProtocol client = new RecordingProtocol();
                clients.add(client);
                connect(server, client);
                accepted.nth(i).await().made().await();
            }
            server.closeClients();
            for (int i = 0; i < count; i++) {
                accepted.nth(i).await().lost().await();
                clients.get(i).lost().await();
            }
            server.closed().await();
            return server.isServing();
        });
        assertFalse(serving);
        for (int i = 0; i < count; i++) {
            assertEquals(List.of("made", "lost"), accepted.all().get(i).events(), "server side " + i);
            assertNull(accepted.all().get(i).lost().result(), "closed by us: no cause");
            assertEquals(List.of("made", "eof", "lost"), clients.get(i).events(), "client " + i);
        }
    }

    @Test
    void closeIsIdempotentAndClosedCompletesOnce() {
        List<Object> seen = run(() -> {
            Server server = listen(RecordingProtocol::new);
            boolean servingAtFirst = server.isServing();
            server.close();
            server.close();
            server.closeClients();
            Future<Void> closed = server.closed();
            closed.await();
            return List.of(servingAtFirst, server.isServing(), closed.isDone(), server.closed() == closed);
        });
        assertEquals(List.of(true, false, true, true), seen);
    }

    /** SO_REUSEPORT: two servers on one port; the kernel spreads the connections, none is refused or lost. */
    @Test
    void reusePortLetsTwoServersShareAPort() {
        int connections = 20;
        Accepted<RecordingProtocol> accepted = new Accepted<>(RecordingProtocol::new);
        AtomicInteger byFirst = new AtomicInteger();
        AtomicInteger unsupported = new AtomicInteger();
        run(() -> {
            SocketOptions shared = SocketOptions.DEFAULTS.withReusePort(true);
            Server first;
            try {
                first = listen(() -> {
                    byFirst.incrementAndGet();
                    return accepted.get();
                }, shared);
            } catch (UnsupportedOperationException e) {
                unsupported.incrementAndGet();
                return null;
            }
            InetSocketAddress address = (InetSocketAddress) first.addresses().getFirst();
            Server second = net().listen(address, accepted, shared).await();
            assertEquals(address, second.addresses().getFirst());
            for (int i = 0; i < connections; i++) {
                net().connect(address, new RecordingProtocol(), SocketOptions.DEFAULTS).await().close();
            }
            accepted.nth(connections - 1).await();
            first.close();
            second.close();
            return null;
        });
        assumeTrue(unsupported.get() == 0, "the " + loop.backendName() + " loop does not support SO_REUSEPORT here");
        assertEquals(connections, accepted.all().size(), "connections accepted by either server");
        assertTrue(byFirst.get() <= connections);
    }

    /** A factory that throws costs that one connection: the error reaches the handler, the server goes on. */
    @Test
    void aProtocolFactoryThatThrowsClosesOnlyThatConnection() {
        IllegalStateException boom = new IllegalStateException("factory bug");
        AtomicInteger calls = new AtomicInteger();
        List<RecordingProtocol> clients = run(() -> {
            Server server = listen(() -> {
                if (calls.incrementAndGet() == 1) {
                    throw boom;
                }
                return new EchoProtocol();
            });
            RecordingProtocol refused = new RecordingProtocol();
            connect(server, refused);
            refused.lost().await();
            RecordingProtocol served = new RecordingProtocol();
            connect(server, served).write(utf8("ping"));
            served.received(4).await();
            served.transport().close();
            served.lost().await();
            server.close();
            return List.of(refused, served);
        });
        assertEquals("lost", clients.get(0).events().getLast(), "the first connection was closed: " + clients.get(0));
        assertEquals("ping", clients.get(1).text());
        List<UnhandledError> reported = takeUnhandled();
        assertEquals(1, reported.size(), "reported: " + reported);
        assertSame(boom, reported.getFirst().exception());
        assertTrue(calls.get() == 2);
    }
}
