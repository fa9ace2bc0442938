package dev.weft.testkit;

import dev.weft.loop.Future;
import dev.weft.net.DnsCache;
import dev.weft.net.HappyEyeballs;
import dev.weft.net.NetworkLoop;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamTransport;
import dev.weft.net.Streams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

import static dev.weft.testkit.StreamTests.fillAcceptQueue;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static dev.weft.testkit.StreamTests.ascii;
import static dev.weft.testkit.StreamTests.text;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Connecting to every address of a name (Happy Eyeballs, RFC 8305: IPv6 and IPv4 interleaved, attempts staggered by
 * 250 ms, the first to connect wins, every failure reported when none does) and the loop's DNS cache (answers kept
 * for the JVM's cache TTL on the loop's clock, one resolution shared by concurrent lookups, "not found" kept too).
 * Real loopback sockets; virtual time where timing matters.
 */
public abstract class HappyEyeballsSuite extends LoopSuite {
    private static final InetAddress V4 = InetAddress.ofLiteral("127.0.0.1");
    private static final InetAddress V6 = InetAddress.ofLiteral("::1");

    @BeforeEach
    final void requireNetworking() {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
    }

    private NetworkLoop net() {
        return (NetworkLoop) loop;
    }

    /** A port nothing listens on at the address: one a server socket had, closed again. */
    private static InetSocketAddress closed(InetAddress address) throws IOException {
        try (ServerSocket socket = new ServerSocket(0, 1, address)) {
            return new InetSocketAddress(address, socket.getLocalPort());
        }
    }

    private static boolean hasIpv6Loopback() {
        try (ServerSocket socket = new ServerSocket(0, 1, V6)) {
            return true;
        } catch (IOException e) {
            return false;
        }
    }

    /** One attempt as the race sees it: where, and when on the loop's clock. */
    private record Attempt(SocketAddress address, long at, Future<StreamTransport> connect) {
    }

    @Test
    void interleavingPutsIpv6FirstThenAlternatesFamilies() {
        InetSocketAddress a4 = new InetSocketAddress(V4, 1);
        InetSocketAddress b4 = new InetSocketAddress(V4, 2);
        InetSocketAddress c4 = new InetSocketAddress(V4, 3);
        InetSocketAddress a6 = new InetSocketAddress(V6, 4);
        InetSocketAddress b6 = new InetSocketAddress(V6, 5);
        assertEquals(List.of(a6, a4, b6, b4, c4), HappyEyeballs.interleave(List.of(a4, b4, a6, c4, b6)));
        assertEquals(List.of(a4, b4), HappyEyeballs.interleave(List.of(a4, b4)));
    }

    @Test
    void aRefusedIpv6AddressGivesWayToAListeningIpv4One() throws Exception {
        assumeTrue(hasIpv6Loopback(), "no IPv6 loopback here");
        String echoed = run(() -> {
            StreamServer server = Streams.startServer(StreamTests::echo, "127.0.0.1", 0);
            try {
                List<InetSocketAddress> addresses = List.of(closed(V6), new InetSocketAddress(V4, server.port()));
                try (StreamConnection c = Streams.openConnection("dual.test:" + server.port(), addresses,
                        HappyEyeballs.DEFAULT_ATTEMPT_DELAY, SocketOptions.DEFAULTS, StreamReader.DEFAULT_LIMIT)) {
                    c.writer().write(ascii("over IPv4"));
                    c.writer().writeEof();
                    return text(c.reader().readAll());
                }
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals("over IPv4", echoed);
    }

    @Test
    void attemptsFollowTheInterleavedOrderAndAFailureStartsTheNextAtOnce() {
        VirtualClock.install(loop);
        List<InetSocketAddress> given = List.of(new InetSocketAddress(V4, 1), new InetSocketAddress(V4, 2),
                new InetSocketAddress(V6, 3), new InetSocketAddress(V6, 4));
        List<Attempt> attempts = new ArrayList<>();
        ConnectException refused = run(() -> assertThrows(ConnectException.class, () -> HappyEyeballs.race(loop,
                "four.test:80", HappyEyeballs.interleave(given), HappyEyeballs.DEFAULT_ATTEMPT_DELAY, null,
                address -> {
                    Future<StreamTransport> f = loop.createFuture();
                    attempts.add(new Attempt(address, loop.time(), f));
                    loop.callSoon(() -> f.setException(new ConnectException(address + ": Connection refused")));
                    return f;
                }, StreamTransport::abort)));
        assertEquals(List.of(given.get(2), given.get(0), given.get(3), given.get(1)),
                attempts.stream().map(Attempt::address).toList());
        assertEquals(List.of(0L, 0L, 0L, 0L), attempts.stream().map(Attempt::at).toList(),
                "each failure starts the next attempt without waiting for the stagger");
        assertTrue(refused.getMessage().contains("four.test:80"), refused.getMessage());
        for (InetSocketAddress address : given) {
            assertTrue(refused.getMessage().contains(":" + address.getPort()), refused.getMessage());
        }
        assertInstanceOf(ConnectException.class, refused.getCause());
        assertEquals(3, refused.getSuppressed().length, "every other failure suppressed: " + refused);
    }

    @Test
    void aHangingAttemptGetsCompanyAfterExactly250msAndTheFirstToConnectWins() throws IOException {
        VirtualClock.install(loop);
        try (ServerSocketChannel blackHole = ServerSocketChannel.open()) {
            blackHole.bind(new InetSocketAddress(V4, 0), 1);
            SocketAddress hole = blackHole.getLocalAddress();
            List<Socket> fillers = fillAcceptQueue(hole);
            try (ServerSocket listening = new ServerSocket(0, 50, V4)) {
                SocketAddress open = listening.getLocalSocketAddress();
                List<Attempt> attempts = new ArrayList<>();
                SocketAddress winner = run(() -> {
                    StreamTransport won = HappyEyeballs.race(loop, "two.test:80", List.of(hole, open),
                            HappyEyeballs.DEFAULT_ATTEMPT_DELAY, null, address -> {
                                Future<StreamTransport> f = net().connect(address, new RecordingProtocol(loop),
                                        SocketOptions.DEFAULTS.withConnectTimeout(NEVER));
                                attempts.add(new Attempt(address, loop.time(), f));
                                return f;
                            }, StreamTransport::abort);
                    SocketAddress peer = won.remoteAddress();
                    won.abort();
                    return peer;
                });
                assumeTrue(!hole.equals(winner),
                        "this kernel answered a SYN to a full accept queue, so no attempt can hang on loopback");
                assertEquals(open, winner);
                assertEquals(List.of(hole, open), attempts.stream().map(Attempt::address).toList());
                assertEquals(0L, attempts.get(0).at());
                assertEquals(Duration.ofMillis(250).toNanos(), attempts.get(1).at(),
                        "the second attempt starts 250 ms after the first");
                // Cancelled, or (virtual time jumps to its timeout while the winner's connect is in flight) failed.
                Future<StreamTransport> loser = attempts.get(0).connect();
                assertTrue(loser.isDone() && (loser.isCancelled() || loser.exception() != null),
                        "the loser did not connect: " + loser);
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void aConnectionMadeAfterTheWinnerIsDiscarded() {
        VirtualClock.install(loop);
        List<SocketAddress> given = List.of(new InetSocketAddress(V4, 1), new InetSocketAddress(V4, 2));
        List<String> discarded = new ArrayList<>();
        String winner = run(() -> {
            String won = HappyEyeballs.race(loop, "both.test:80", given, Duration.ZERO, null, address -> {
                Future<String> f = loop.createFuture();
                // both connect in the same loop iteration, before the race hears of either
                loop.callAt(Duration.ofMillis(10).toNanos(), () -> f.setResult("via " + address));
                return f;
            }, discarded::add);
            Future<Void> settle = loop.createFuture();
            loop.callSoon(() -> settle.setResult(null));
            settle.await();
            return won;
        });
        assertEquals("via " + given.get(0), winner);
        assertEquals(List.of("via " + given.get(1)), discarded, "the late connection is discarded, not leaked");
    }

    @Test
    void cancellingTheConnectingTaskCancelsEveryAttempt() throws IOException {
        VirtualClock.install(loop);
        try (ServerSocketChannel blackHole = ServerSocketChannel.open()) {
            blackHole.bind(new InetSocketAddress(V4, 0), 1);
            SocketAddress hole = blackHole.getLocalAddress();
            List<Socket> fillers = fillAcceptQueue(hole);
            try {
                List<Attempt> attempts = new ArrayList<>();
                boolean cancelled = run(() -> {
                    Future<StreamTransport> connecting = loop.createTask(() -> HappyEyeballs.race(loop,
                            "hole.test:1", List.of(hole, hole), HappyEyeballs.DEFAULT_ATTEMPT_DELAY, null, address -> {
                                Future<StreamTransport> f = net().connect(address, new RecordingProtocol(loop),
                                        SocketOptions.DEFAULTS.withConnectTimeout(NEVER));
                                attempts.add(new Attempt(address, loop.time(), f));
                                return f;
                            }, StreamTransport::abort));
                    loop.callLater(Duration.ofMillis(400), connecting::cancel);
                    try {
                        connecting.await();
                        return false;
                    } catch (java.util.concurrent.CancellationException e) {
                        return connecting.isCancelled();
                    }
                });
                assumeTrue(cancelled, "this kernel answered a SYN to a full accept queue");
                assertEquals(2, attempts.size());
                for (Attempt attempt : attempts) {
                    assertTrue(attempt.connect().isCancelled(), "every attempt is given up: " + attempt);
                }
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void theConnectTimeoutBoundsTheWholeRace() throws IOException {
        VirtualClock.install(loop);
        try (ServerSocketChannel blackHole = ServerSocketChannel.open()) {
            blackHole.bind(new InetSocketAddress(V4, 0), 1);
            SocketAddress hole = blackHole.getLocalAddress();
            List<Socket> fillers = fillAcceptQueue(hole);
            try {
                List<Object> seen = run(() -> {
                    long start = loop.time();
                    Object outcome;
                    try (StreamConnection c = Streams.openConnection("slow.test:1", List.of(hole, hole),
                            Duration.ofMillis(250), SocketOptions.DEFAULTS.withConnectTimeout(Duration.ofSeconds(1)),
                            StreamReader.DEFAULT_LIMIT)) {
                        outcome = "connected";
                    } catch (java.net.SocketTimeoutException e) {
                        outcome = e;
                    }
                    return List.of(outcome, loop.time() - start);
                });
                assumeTrue(!"connected".equals(seen.get(0)), "this kernel answered a SYN to a full accept queue");
                java.net.SocketTimeoutException e = (java.net.SocketTimeoutException) seen.get(0);
                String hole1 = dev.weft.net.Addresses.format(hole);
                assertEquals("cannot connect to slow.test:1 within 1000 ms: no answer; check that the host is up and "
                        + "reachable, or allow longer with SocketOptions.withConnectTimeout (tried " + hole1
                        + ": still connecting; " + hole1 + ": still connecting)", e.getMessage());
                assertEquals(Duration.ofSeconds(1).toNanos(), (long) seen.get(1), "the whole race took the timeout");
            } finally {
                for (Socket filler : fillers) {
                    filler.close();
                }
            }
        }
    }

    @Test
    void whenEveryAddressFailsTheErrorNamesTheTargetAndEveryAddress() throws Exception {
        List<InetSocketAddress> addresses = new ArrayList<>();
        if (hasIpv6Loopback()) {
            addresses.add(closed(V6));
        }
        addresses.add(closed(V4));
        addresses.add(closed(V4));
        ConnectException refused = run(() -> assertThrows(ConnectException.class,
                () -> Streams.openConnection("nobody.test:7", addresses, HappyEyeballs.DEFAULT_ATTEMPT_DELAY,
                        SocketOptions.DEFAULTS, StreamReader.DEFAULT_LIMIT)));
        assertTrue(refused.getMessage().contains("nobody.test:7"), refused.getMessage());
        for (InetSocketAddress address : addresses) {
            assertTrue(refused.getMessage().contains(":" + address.getPort()), refused.getMessage());
        }
        assertInstanceOf(ConnectException.class, refused.getCause());
        assertEquals(addresses.size() - 1, refused.getSuppressed().length, refused.toString());
    }

    // ---- the DNS cache

    @Test
    void anAnswerIsCachedForItsTtlOnTheLoopsClock() {
        VirtualClock clock = VirtualClock.install(loop);
        AtomicInteger lookups = new AtomicInteger();
        List<Integer> counts = run(() -> {
            DnsCache cache = new DnsCache(loop, host -> {
                lookups.incrementAndGet();
                return new InetAddress[] {V4};
            }, Duration.ofSeconds(30), Duration.ofSeconds(10));
            List<Integer> seen = new ArrayList<>();
            assertEquals(List.of(V4), cache.lookup("cached.test"));
            seen.add(lookups.get());
            clock.advance(Duration.ofSeconds(29));
            assertEquals(List.of(V4), cache.lookup("cached.test"));
            seen.add(lookups.get());
            clock.advance(Duration.ofSeconds(2));
            assertEquals(List.of(V4), cache.lookup("cached.test"));
            seen.add(lookups.get());
            return seen;
        });
        assertEquals(List.of(1, 1, 2), counts, "looked up again only after the TTL");
    }

    @Test
    void concurrentLookupsOfANameShareOneResolution() {
        AtomicInteger lookups = new AtomicInteger();
        CountDownLatch release = new CountDownLatch(1);
        List<List<InetAddress>> answers = run(() -> {
            DnsCache cache = new DnsCache(loop, host -> {
                lookups.incrementAndGet();
                try {
                    release.await();
                } catch (InterruptedException e) {
                    throw new UnknownHostException("interrupted");
                }
                return new InetAddress[] {V6};
            }, Duration.ofSeconds(30), Duration.ofSeconds(10));
            Future<List<InetAddress>> one = loop.createTask(() -> cache.lookup("shared.test"));
            Future<List<InetAddress>> two = loop.createTask(() -> cache.lookup("shared.test"));
            loop.callLater(Duration.ofMillis(20), release::countDown);
            return List.of(one.await(), two.await());
        });
        assertEquals(List.of(List.of(V6), List.of(V6)), answers);
        assertEquals(1, lookups.get(), "one resolution for both");
    }

    @Test
    void notFoundIsCachedForTheNegativeTtl() {
        VirtualClock clock = VirtualClock.install(loop);
        AtomicInteger lookups = new AtomicInteger();
        List<Integer> counts = run(() -> {
            DnsCache cache = new DnsCache(loop, host -> {
                lookups.incrementAndGet();
                throw new UnknownHostException(host + ": Name or service not known");
            }, Duration.ofSeconds(30), Duration.ofSeconds(10));
            List<Integer> seen = new ArrayList<>();
            for (int i = 0; i < 2; i++) {
                UnknownHostException e = assertThrows(UnknownHostException.class, () -> cache.lookup("gone.test"));
                assertTrue(e.getMessage().contains("gone.test"), e.getMessage());
                seen.add(lookups.get());
            }
            clock.advance(Duration.ofSeconds(10));
            assertThrows(UnknownHostException.class, () -> cache.lookup("gone.test"));
            seen.add(lookups.get());
            return seen;
        });
        assertEquals(List.of(1, 1, 2), counts);
    }

    @Test
    void anUnknownNameIsAnUnknownHostExceptionNamingTheHostEveryTime() {
        String host = "weft-no-such-host.invalid";
        List<UnknownHostException> errors = run(() -> List.of(
                assertThrows(UnknownHostException.class, () -> DnsCache.of(loop).lookup(host)),
                assertThrows(UnknownHostException.class, () -> Streams.openConnection(host, 80))));
        for (UnknownHostException e : errors) {
            assertTrue(e.getMessage().contains(host), e.getMessage());
        }
    }

}
