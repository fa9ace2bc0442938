package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.net.TransportClosedException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.net.DatagramOptions;
import dev.weft.net.DatagramProtocol;
import dev.weft.net.DatagramTransport;
import org.junit.jupiter.api.Test;

import java.net.DatagramSocket;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * UDP endpoints ({@code NetworkLoop.openDatagram}) on 127.0.0.1: datagrams keep their boundaries, content and (on
 * loopback) order; a connected endpoint sends to and hears only its peer, and hears an ICMP port unreachable as
 * {@code errorReceived}; a closed endpoint refuses to send, and {@code connectionLost(null)} comes once, last.
 */
public abstract class DatagramSuite extends AbstractTransportSuite {

    /** An echo endpoint and a client: several datagrams of 1 B and 8 KiB come back whole, in order, from the echo. */
    @Test
    void datagramsMakeARoundTripOnLoopback() {
        int[] sizes = {1, 8 * 1024, 1, 8 * 1024, 300};
        run(() -> {
            Recording echo = Recording.echo();
            DatagramTransport echoEnd = open(LOCALHOST, null, echo);
            Recording client = new Recording();
            DatagramTransport clientEnd = open(LOCALHOST, null, client);
            SocketAddress echoAddress = echoEnd.localAddress();
            for (int i = 0; i < sizes.length; i++) {
                clientEnd.send(ByteBuffer.wrap(payload(sizes[i], i)), echoAddress);
            }
            client.datagrams(sizes.length).await();
            for (int i = 0; i < sizes.length; i++) {
                assertArrayEquals(payload(sizes[i], i), client.received.get(i), "datagram " + i + " of " + sizes[i]
                        + " bytes, whole and in order");
                assertEquals(echoAddress, client.senders.get(i));
                assertEquals(clientEnd.localAddress(), echo.senders.get(i));
            }
            assertNull(clientEnd.remoteAddress(), "unconnected");
            clientEnd.close();
            echoEnd.close();
            assertNull(client.lost.await());
            assertNull(echo.lost.await());
            return null;
        });
    }

    /** A connected endpoint sends with a null target, and receives from its peer. */
    @Test
    void aConnectedEndpointSendsToAndReceivesFromItsPeer() {
        run(() -> {
            DatagramTransport echoEnd = open(LOCALHOST, null, Recording.echo());
            SocketAddress echoAddress = echoEnd.localAddress();
            Recording client = new Recording();
            DatagramTransport clientEnd = open(null, echoAddress, client);
            assertEquals(echoAddress, clientEnd.remoteAddress());
            clientEnd.send(utf8("ping"), null);
            clientEnd.send(ByteBuffer.wrap(payload(8 * 1024, 7)), null);
            client.datagrams(2).await();
            assertEquals("ping", new String(client.received.get(0), java.nio.charset.StandardCharsets.UTF_8));
            assertArrayEquals(payload(8 * 1024, 7), client.received.get(1));
            assertEquals(echoAddress, client.senders.get(0));
            assertThrows(IllegalArgumentException.class,
                    () -> clientEnd.send(utf8("elsewhere"), new InetSocketAddress("127.0.0.1", 9)));
            assertEquals(0, clientEnd.sendBufferSize());
            clientEnd.close();
            echoEnd.close();
            client.lost.await();
            return null;
        });
    }

    /**
     * A read-only direct buffer may be a view a lending reader lent ({@link dev.weft.net.ReadLease#mayBeLent}), whose
     * memory goes back at that reader's next read: an endpoint that holds it until its socket takes it holds a copy.
     * Simulated by changing the memory behind such buffers as soon as they were sent.
     */
    @Test
    void readOnlyDirectBuffersAreSentAsTheyWereWhenSent() {
        int count = 3;
        run(() -> {
            Recording client = new Recording();
            DatagramTransport clientEnd = open(LOCALHOST, null, client);
            DatagramTransport sending = open(LOCALHOST, null, new Recording());
            ByteBuffer memory = ByteBuffer.allocateDirect(1000 * count);
            for (int i = 0; i < count; i++) {
                memory.put(1000 * i, payload(1000, i));
                sending.send(memory.slice(1000 * i, 1000).asReadOnlyBuffer(), clientEnd.localAddress());
            }
            memory.put(0, new byte[1000 * count]); // as a lending reader's next read gives the memory back
            client.datagrams(count).await();
            for (int i = 0; i < count; i++) {
                assertArrayEquals(payload(1000, i), client.received.get(i), "datagram " + i);
            }
            sending.close();
            clientEnd.close();
            return null;
        });
    }

    @Test
    void sendingAfterCloseIsATransportClosedExceptionNamingTheEndpoint() {
        TransportClosedException error = run(() -> {
            Recording client = new Recording();
            DatagramTransport end = open(LOCALHOST, null, client);
            end.close();
            assertTrue(end.isClosing());
            TransportClosedException thrown = assertThrows(TransportClosedException.class,
                    () -> end.send(utf8("too late"), new InetSocketAddress("127.0.0.1", 9)));
            client.lost.await();
            assertThrows(TransportClosedException.class,
                    () -> end.send(utf8("later still"), new InetSocketAddress("127.0.0.1", 9)));
            assertTrue(thrown.getMessage().contains("127.0.0.1:" + portOf(end.localAddress())), thrown.getMessage());
            return thrown;
        });
        assertTrue(error.getMessage().contains("closed"), error.getMessage());
    }

    /**
     * Connected to a port where nobody listens, a send draws an ICMP port unreachable; Linux reports it on the next
     * receive, and the endpoint hands it to {@code errorReceived} as a PortUnreachableException and stays open.
     */
    @Test
    void aConnectedEndpointHearsPortUnreachableAsErrorReceived() throws SocketException {
        SocketAddress nobody;
        try (DatagramSocket reserved = new DatagramSocket(LOCALHOST)) {
            nobody = reserved.getLocalSocketAddress();
        }
        SocketAddress closedPort = nobody;
        List<Object> seen = run(() -> {
            Recording client = new Recording();
            DatagramTransport end = open(null, closedPort, client);
            end.send(utf8("anyone there?"), null);
            Throwable error = client.firstError.await();
            boolean open = !end.isClosing();
            end.close();
            client.lost.await();
            return List.of(error, open, client);
        });
        Throwable error = (Throwable) seen.get(0);
        assertInstanceOf(PortUnreachableException.class, error);
        assertEquals(true, seen.get(1), "an error received leaves the endpoint open");
        assertEquals("made", ((Recording) seen.get(2)).events.getFirst());
        assertEquals("lost", ((Recording) seen.get(2)).events.getLast());
    }

    /** close, close again, abort: connectionLost(null) exactly once, and nothing after it. */
    @Test
    void closeLosesTheEndpointOnce() {
        Recording client = run(() -> {
            Recording protocol = new Recording();
            DatagramTransport end = open(LOCALHOST, null, protocol);
            end.close();
            end.close();
            end.abort();
            assertNull(protocol.lost.await());
            Async.sleep(Duration.ofMillis(20));
            return protocol;
        });
        assertEquals(List.of("made", "lost"), client.events);
    }

    @Test
    void bindingATakenPortIsABindExceptionNamingIt() {
        List<Object> seen = run(() -> {
            DatagramTransport first = open(LOCALHOST, null, new Recording());
            int port = portOf(first.localAddress());
            Recording second = new Recording();
            Throwable failure = failureOf(net().openDatagram(new InetSocketAddress("127.0.0.1", port), null, second,
                    DatagramOptions.DEFAULTS));
            first.close();
            return List.of(port, failure, second.events);
        });
        Throwable failure = (Throwable) seen.get(1);
        assertInstanceOf(java.net.BindException.class, failure);
        assertTrue(failure.getMessage().contains("127.0.0.1:" + seen.get(0)), failure.getMessage());
        assertEquals(List.of(), seen.get(2), "no callback for an endpoint that never was");
    }

    /** A datagramReceived that throws reaches the loop's exception handler and aborts its endpoint with that error. */
    @Test
    void aProtocolCallbackThatThrowsAbortsItsEndpointAndReachesTheHandler() {
        IllegalStateException boom = new IllegalStateException("protocol bug");
        Recording victim = run(() -> {
            Recording protocol = new Recording() {
                @Override
                public void datagramReceived(ByteBuffer data, SocketAddress from) {
                    super.datagramReceived(data, from);
                    throw boom;
                }
            };
            DatagramTransport end = open(LOCALHOST, null, protocol);
            DatagramTransport sender = open(LOCALHOST, null, new Recording());
            sender.send(utf8("trigger"), end.localAddress());
            protocol.lost.await();
            sender.close();
            return protocol;
        });
        assertEquals(boom, victim.lost.result(), "connectionLost gets what the callback threw");
        assertEquals(List.of("made", "datagram", "lost"), victim.events);
        List<dev.weft.loop.UnhandledError> reported = takeUnhandled();
        assertEquals(1, reported.size(), "reported once: " + reported);
        assertEquals(boom, reported.getFirst().exception());
    }

    private DatagramTransport open(SocketAddress local, SocketAddress remote, DatagramProtocol protocol) {
        return net().openDatagram(local, remote, protocol, DatagramOptions.DEFAULTS).await();
    }

    /** Records the calls and copies each datagram; an echo sends each one back to its sender. Made on the loop. */
    protected static class Recording implements DatagramProtocol {
        final EventLoop loop = EventLoop.current();
        final List<String> events = new ArrayList<>();
        final List<byte[]> received = new ArrayList<>();
        final List<SocketAddress> senders = new ArrayList<>();
        final Future<DatagramTransport> made = loop.createFuture();
        final Future<Throwable> firstError = loop.createFuture();
        final Future<Throwable> lost = loop.createFuture();
        private final Map<Integer, Future<Void>> waiting = new HashMap<>();
        private boolean echo;
        private DatagramTransport transport;

        static Recording echo() {
            Recording protocol = new Recording();
            protocol.echo = true;
            return protocol;
        }

        private void record(String event) {
            events.add((loop.inLoop() ? "" : "off-loop: ") + (lost.isDone() ? "after lost: " : "") + event);
        }

        @Override
        public void connectionMade(DatagramTransport transport) {
            record("made");
            this.transport = transport;
            made.setResult(transport);
        }

        @Override
        public void datagramReceived(ByteBuffer data, SocketAddress from) {
            if (events.isEmpty() || !events.getLast().equals("datagram")) {
                record("datagram");
            }
            byte[] copy = new byte[data.remaining()];
            data.duplicate().get(copy);
            received.add(copy);
            senders.add(from);
            if (echo) {
                transport.send(ByteBuffer.wrap(copy.clone()), from);
            }
            Future<Void> waiter = waiting.remove(received.size());
            if (waiter != null) {
                waiter.setResult(null);
            }
        }

        @Override
        public void errorReceived(Throwable error) {
            record("error");
            if (!firstError.isDone()) {
                firstError.setResult(error);
            }
        }

        @Override
        public void connectionLost(Throwable cause) {
            record("lost");
            if (!lost.isDone()) {
                lost.setResult(cause);
            }
        }

        /** Completes once this many datagrams have arrived. */
        Future<Void> datagrams(int count) {
            Future<Void> waiter = loop.createFuture();
            if (received.size() >= count) {
                waiter.setResult(null);
            } else {
                waiting.put(count, waiter);
            }
            return waiter;
        }
    }
}
