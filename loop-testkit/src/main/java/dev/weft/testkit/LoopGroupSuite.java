package dev.weft.testkit;

import dev.weft.loop.Capability;
import dev.weft.loop.LoopClosedException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.UnhandledError;
import dev.weft.net.GroupServer;
import dev.weft.net.GroupStreamServer;
import dev.weft.net.NetworkLoop;
import dev.weft.net.SocketOptions;
import dev.weft.net.Spread;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.StandardProtocolFamily;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static dev.weft.testkit.GroupTests.Echo;
import static dev.weft.testkit.GroupTests.assertRefused;
import static dev.weft.testkit.GroupTests.closeAll;
import static dev.weft.testkit.GroupTests.connect;
import static dev.weft.testkit.GroupTests.echo;
import static dev.weft.testkit.GroupTests.take;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Loop groups on the backend under test: loops made by its factory, each on a thread of its own; servers that spread
 * connections over the group, by SO_REUSEPORT where the backend has it and through one acceptor otherwise. The
 * clients are plain blocking JDK sockets on the test's thread, so what is tested is only the backend.
 *
 * <p>A group owns its loops: after each test every group must be closed, and every loop of it closed by the group.
 */
public abstract class LoopGroupSuite extends LoopSuite {
    private static final InetSocketAddress LOCALHOST = new InetSocketAddress("127.0.0.1", 0);
    private final List<LoopGroup> groups = new CopyOnWriteArrayList<>();

    /** A group of loops from {@link #openLoop()}, checked after the test. */
    protected final LoopGroup openGroup(int size) {
        return openGroup(size, this::openLoop);
    }

    private LoopGroup openGroup(int size, Supplier<EventLoop> factory) {
        LoopGroup group = LoopGroup.open(size, factory);
        groups.add(group);
        return group;
    }

    @AfterEach
    final void groupsClosedTheirLoops() {
        for (LoopGroup group : groups) {
            boolean closedByTest = group.isClosed();
            group.close(); // a failed test still must not leave loop threads behind
            assertTrue(closedByTest, group + " was left open by the test");
            for (EventLoop each : group.loops()) {
                assertTrue(each.isClosed(), "closing " + group + " closes its loop " + each);
            }
        }
    }

    private boolean reusePortHere() {
        return loop instanceof NetworkLoop && loop.capabilities().contains(Capability.REUSE_PORT);
    }

    private void requireNetworking() {
        assumeTrue(loop instanceof NetworkLoop, "the " + loop.backendName() + " loop has no networking");
    }

    // ---- the group itself

    @Test
    void nextAndSubmitGoRoundRobinAndEachLoopHasItsOwnNamedThread() throws Exception {
        LoopGroup group = openGroup(3);
        try (group) {
            List<EventLoop> picked = new ArrayList<>();
            for (int i = 0; i < 6; i++) {
                picked.add(group.next());
            }
            List<EventLoop> loops = group.loops();
            assertEquals(List.of(loops.get(0), loops.get(1), loops.get(2), loops.get(0), loops.get(1), loops.get(2)),
                    picked);
            List<EventLoop> ranOn = new ArrayList<>();
            for (int i = 0; i < 3; i++) {
                ranOn.add(group.submit(EventLoop::current).get(PATIENCE.toSeconds(), TimeUnit.SECONDS));
            }
            assertEquals(loops, ranOn, "submit goes on round-robin from where next() left off");
            Set<Thread> threads = new HashSet<>();
            for (int i = 0; i < 3; i++) {
                Thread thread = threadOf(loops.get(i));
                threads.add(thread);
                assertEquals("weft-" + group.backendName() + "-" + i, thread.getName());
                assertTrue(!thread.isVirtual() && loops.get(i).isRunning(), thread + " runs loop " + i);
            }
            assertEquals(3, threads.size(), "one thread per loop");
        }
    }

    @Test
    void aSizeBelowOneIsRefusedNamingTheSize() {
        AtomicInteger made = new AtomicInteger();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> LoopGroup.open(0, () -> {
                    made.incrementAndGet();
                    return openLoop();
                }));
        assertTrue(error.getMessage().contains("not 0"), error.getMessage());
        assertEquals(0, made.get(), "no loop is made for a group that cannot be");
    }

    @Test
    void aClosedGroupRefusesWorkAndClosingAgainIsHarmless() throws Exception {
        requireNetworking();
        LoopGroup group = openGroup(2);
        group.close();
        assertTrue(group.closed().isDone(), "close() returns once every loop is closed");
        assertThrows(LoopClosedException.class, group::next);
        assertThrows(LoopClosedException.class, () -> group.submit(() -> 1));
        assertThrows(LoopClosedException.class,
                () -> GroupServer.listen(group, LOCALHOST, Echo::new, SocketOptions.DEFAULTS));
        group.close();
    }

    @Test
    void aGroupClosedFromOneOfItsOwnTasksClosesEveryLoop() throws Exception {
        LoopGroup group = openGroup(2);
        CompletableFuture<Void> closed = group.closed();
        group.submit(() -> {
            group.close(); // cannot wait for its own thread: stops the loops and returns
            return null;
        });
        closed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
        for (EventLoop each : group.loops()) {
            assertTrue(each.isClosed(), each + " closed");
        }
    }

    @Test
    void loopsOfTwoBackendsDoNotMakeAGroup() {
        requireNetworking();
        AtomicInteger made = new AtomicInteger();
        List<EventLoop> loops = new CopyOnWriteArrayList<>();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class, () -> LoopGroup.open(2, () -> {
            EventLoop next = made.getAndIncrement() == 0 ? openLoop() : new ForwardingNetworkLoop(openLoop(), "other");
            loops.add(next);
            return next;
        }));
        assertTrue(error.getMessage().contains(loop.backendName()) && error.getMessage().contains("other"),
                error.getMessage());
        assertEquals(2, loops.size());
        for (EventLoop each : loops) {
            assertTrue(each.isClosed(), "a group that cannot be made closes the loops it took: " + each);
        }
    }

    /** A loop thread that dies (its multiplexer failed, say) reports why, closes its loop, and spares the others. */
    @Test
    void aLoopWhoseRunFailsIsReportedAndClosedWhileTheOthersServeOn() throws Exception {
        IllegalStateException broke = new IllegalStateException("the multiplexer broke");
        CompletableFuture<Void> brokenLoopClosed = new CompletableFuture<>();
        AtomicInteger made = new AtomicInteger();
        LoopGroup group = openGroup(2, () -> made.getAndIncrement() == 0 ? openLoop()
                : new ForwardingNetworkLoop(openLoop(), loop.backendName()) {
                    @Override
                    public void runForever() {
                        throw broke;
                    }

                    @Override
                    public void close() {
                        super.close();
                        brokenLoopClosed.complete(null);
                    }
                });
        try (group) {
            brokenLoopClosed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertTrue(group.loops().get(1).isClosed());
            List<UnhandledError> reported = takeUnhandled();
            assertEquals(1, reported.size(), "reported: " + reported);
            assertSame(broke, reported.getFirst().exception());
            assertTrue(reported.getFirst().message().contains(group.threadName(1)), reported.getFirst().message());
            assertEquals(42, group.loops().getFirst().submit(() -> 42).get(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                    "the other loop serves on");
        }
    }

    @Test
    void aFactoryThatRepeatsALoopIsRefused() {
        EventLoop only = openLoop();
        IllegalArgumentException error = assertThrows(IllegalArgumentException.class,
                () -> LoopGroup.open(2, () -> only));
        assertTrue(error.getMessage().contains("twice"), error.getMessage());
        assertTrue(only.isClosed(), "a group that cannot be made closes the loops it took");
    }

    // ---- spreading connections

    @Test
    void aTakenPortFailsWithABindExceptionNamingIt() throws Exception {
        requireNetworking();
        List<Spread> spreads = reusePortHere() ? List.of(Spread.ACCEPTOR, Spread.REUSE_PORT) : List.of(Spread.ACCEPTOR);
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             LoopGroup group = openGroup(2)) {
            InetSocketAddress address = new InetSocketAddress("127.0.0.1", taken.getLocalPort());
            for (Spread spread : spreads) {
                BindException error = assertThrows(BindException.class,
                        () -> GroupServer.listen(group, address, Echo::new, SocketOptions.DEFAULTS, spread));
                assertTrue(error.getMessage().contains(String.valueOf(taken.getLocalPort())), error.getMessage());
            }
        }
    }

    @Test
    void withReusePortTheKernelSpreadsConnectionsOverTheLoops() throws Exception {
        requireNetworking();
        assumeTrue(reusePortHere(), "the " + loop.backendName() + " loop has no SO_REUSEPORT here");
        int connections = 64;
        BlockingQueue<Echo> served = new LinkedBlockingQueue<>();
        try (LoopGroup group = openGroup(2)) {
            GroupServer server = GroupServer.listen(group, LOCALHOST, () -> new Echo(served), SocketOptions.DEFAULTS);
            assertEquals(Spread.REUSE_PORT, server.spread(), "AUTO picks REUSE_PORT where every loop has it");
            assertEquals(2, server.listenerCount());
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < connections; i++) {
                    clients.add(connect(server.port()));
                }
                Map<EventLoop, Integer> perLoop = new HashMap<>();
                for (int i = 0; i < connections; i++) {
                    perLoop.merge(take(served).loop(), 1, Integer::sum);
                }
                // All 64 on one loop would happen with probability 2^-63 if the kernel spread them fairly.
                assertEquals(Set.copyOf(group.loops()), perLoop.keySet(), "connections per loop: " + perLoop);
            } finally {
                closeAll(clients);
            }
        }
    }

    @Test
    void anAcceptorDealsTheConnectionsRoundRobin() throws Exception {
        requireNetworking();
        BlockingQueue<Echo> served = new LinkedBlockingQueue<>();
        try (LoopGroup group = openGroup(3)) {
            GroupServer server = GroupServer.listen(group, LOCALHOST, () -> new Echo(served), SocketOptions.DEFAULTS,
                    Spread.ACCEPTOR);
            assertEquals(Spread.ACCEPTOR, server.spread());
            assertEquals(1, server.listenerCount());
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 7; i++) {
                    Socket client = connect(server.port());
                    clients.add(client);
                    Echo echo = take(served);
                    assertEquals(client.getLocalPort(), echo.remotePort(), "connection " + i);
                    assertEquals(group.loops().get(i % 3), echo.loop(), "connection " + i + " goes to loop " + i % 3);
                }
            } finally {
                closeAll(clients);
            }
        }
    }

    @Test
    void eachConnectionsCallbacksRunOnItsOwnLoopsThread() throws Exception {
        requireNetworking();
        List<Spread> spreads = reusePortHere() ? List.of(Spread.ACCEPTOR, Spread.REUSE_PORT) : List.of(Spread.ACCEPTOR);
        for (Spread spread : spreads) {
            BlockingQueue<Echo> served = new LinkedBlockingQueue<>();
            try (LoopGroup group = openGroup(2)) {
                Map<EventLoop, Thread> threads = new HashMap<>();
                for (EventLoop each : group.loops()) {
                    threads.put(each, threadOf(each));
                }
                GroupServer server = GroupServer.listen(group, LOCALHOST, () -> new Echo(served),
                        SocketOptions.DEFAULTS, spread);
                for (int i = 0; i < 4; i++) {
                    try (Socket client = connect(server.port())) {
                        assertEquals("ping " + i, echo(client, "ping " + i), spread + " echo");
                        Echo echo = take(served);
                        echo.lost.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                        assertEquals(List.of("made", "data", "eof", "lost"), echo.events, spread + " callbacks");
                        EventLoop home = echo.loop();
                        assertTrue(group.indexOf(home) >= 0, home + " is a loop of the group");
                        assertEquals(List.of(home, home, home, home), echo.loops, spread + ": every callback's loop");
                        Thread expected = threads.get(home);
                        assertEquals(List.of(expected, expected, expected, expected), echo.threads,
                                spread + ": every callback on " + expected.getName());
                        assertEquals(home, echo.transport.loop(), "the transport belongs to the serving loop");
                    }
                }
            }
        }
    }

    @Test
    void echoWorksThroughAGroupServerOnEveryLoop() throws Exception {
        requireNetworking();
        BlockingQueue<Echo> served = new LinkedBlockingQueue<>();
        try (LoopGroup group = openGroup(3)) {
            GroupServer server = GroupServer.listen(group, LOCALHOST, () -> new Echo(served), SocketOptions.DEFAULTS,
                    Spread.ACCEPTOR);
            Set<EventLoop> servers = new HashSet<>();
            List<Socket> clients = new ArrayList<>();
            try {
                for (int i = 0; i < 6; i++) {
                    clients.add(connect(server.port()));
                    servers.add(take(served).loop());
                }
                for (int i = 0; i < clients.size(); i++) { // all open at once, served on three loops
                    String line = "line " + i + " " + "x".repeat(1000 * i);
                    assertEquals(line, echo(clients.get(i), line));
                }
            } finally {
                closeAll(clients);
            }
            assertEquals(Set.copyOf(group.loops()), servers);
        }
    }

    @Test
    void aGroupStreamServerServesEachConnectionInATaskOnItsOwnLoop() throws Exception {
        requireNetworking();
        List<Spread> spreads = reusePortHere() ? List.of(Spread.ACCEPTOR, Spread.REUSE_PORT) : List.of(Spread.ACCEPTOR);
        for (Spread spread : spreads) {
            try (LoopGroup group = openGroup(2)) {
                GroupStreamServer server = GroupStreamServer.start(group, (reader, writer) -> {
                    String where = "loop " + group.indexOf(EventLoop.current()) + ": ";
                    byte[] line;
                    while ((line = reader.readLineBytes()).length > 0) {
                        writer.write(where.getBytes(StandardCharsets.US_ASCII));
                        writer.write(line);
                        writer.drain();
                    }
                }, LOCALHOST, SocketOptions.DEFAULTS, spread);
                assertEquals(spread, server.spread());
                Set<String> loopsSeen = new HashSet<>();
                for (int i = 0; i < 4; i++) {
                    try (Socket client = connect(server.port())) {
                        String answer = echo(client, "hello " + i);
                        assertTrue(answer.matches("loop [01]: hello " + i), answer);
                        loopsSeen.add(answer.substring(0, 6));
                    }
                }
                if (spread == Spread.ACCEPTOR) {
                    assertEquals(Set.of("loop 0", "loop 1"), loopsSeen, "round-robin over both loops");
                }
                server.closeGracefully(PATIENCE).get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                server.closed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                assertRefused(server.port());
            }
        }
    }

    @Test
    void closingTheGroupClosesItsServersAndTheirConnections() throws Exception {
        requireNetworking();
        BlockingQueue<Echo> served = new LinkedBlockingQueue<>();
        LoopGroup group = openGroup(2);
        GroupServer protocols = GroupServer.listen(group, LOCALHOST, () -> new Echo(served), SocketOptions.DEFAULTS);
        BlockingQueue<EventLoop> handlers = new LinkedBlockingQueue<>();
        GroupStreamServer streams = GroupStreamServer.start(group, (reader, writer) -> {
            handlers.add(EventLoop.current());
            reader.readAll(); // until the group closes
        }, LOCALHOST);
        List<Socket> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 4; i++) {
                clients.add(connect(protocols.port()));
                take(served);
                clients.add(connect(streams.port()));
                assertNotNull(handlers.poll(PATIENCE.toMillis(), TimeUnit.MILLISECONDS), "handler " + i + " started");
            }
            CompletableFuture<Void> serverClosed = protocols.closed();
            CompletableFuture<Void> streamsClosed = streams.closed();
            group.close();
            for (Socket client : clients) {
                assertEquals(-1, client.getInputStream().read(), "the client sees EOF once the group closed");
            }
            serverClosed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            streamsClosed.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            assertRefused(protocols.port());
            assertRefused(streams.port());
        } finally {
            closeAll(clients);
        }
    }

    @Test
    void closeClientsEndsTheConnectionsOnEveryLoop() throws Exception {
        requireNetworking();
        BlockingQueue<Echo> served = new LinkedBlockingQueue<>();
        try (LoopGroup group = openGroup(2)) {
            GroupServer server = GroupServer.listen(group, LOCALHOST, () -> new Echo(served), SocketOptions.DEFAULTS,
                    Spread.ACCEPTOR);
            List<Socket> clients = new ArrayList<>();
            List<Echo> echoes = new ArrayList<>();
            try {
                for (int i = 0; i < 4; i++) {
                    clients.add(connect(server.port()));
                    echoes.add(take(served));
                }
                server.closeClients();
                for (Socket client : clients) {
                    assertEquals(-1, client.getInputStream().read(), "closeClients() closes every connection");
                }
                for (Echo echo : echoes) {
                    echo.lost.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                }
                server.closed().get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
                Set<EventLoop> servedBy = new HashSet<>();
                echoes.forEach(echo -> servedBy.add(echo.loop()));
                assertEquals(Set.copyOf(group.loops()), servedBy, "connections were served on both loops");
                assertRefused(server.port());
            } finally {
                closeAll(clients);
            }
        }
    }

    @Test
    void aBackendThatCannotPlaceConnectionsCannotServeThroughAnAcceptor() {
        requireNetworking();
        try (LoopGroup group = openGroup(2, () -> new ForwardingNetworkLoop(openLoop(), loop.backendName()))) {
            UnsupportedOperationException error = assertThrows(UnsupportedOperationException.class,
                    () -> GroupServer.listen(group, LOCALHOST, () -> new Echo(new LinkedBlockingQueue<>()),
                            SocketOptions.DEFAULTS, Spread.ACCEPTOR));
            assertTrue(error.getMessage().contains(loop.backendName()), error.getMessage());
        }
    }

    @Test
    void reusePortAskedForWhereTheBackendLacksItIsRefusedNamingTheBackend() {
        requireNetworking();
        try (LoopGroup group = openGroup(2, () -> new ForwardingNetworkLoop(openLoop(), loop.backendName(),
                Set.of(Capability.TCP)))) {
            UnsupportedOperationException error = assertThrows(UnsupportedOperationException.class,
                    () -> GroupServer.listen(group, LOCALHOST, Echo::new, SocketOptions.DEFAULTS, Spread.REUSE_PORT));
            assertTrue(error.getMessage().contains("the " + loop.backendName() + " loops cannot share a port"),
                    error.getMessage());
        }
    }

    /** SO_REUSEPORT is for TCP: on a Unix domain socket AUTO deals the connections out from one acceptor. */
    @Test
    void overAUnixSocketAutoChoosesTheAcceptor(@TempDir Path dir) throws Exception {
        requireNetworking();
        assumeTrue(loop.capabilities().contains(Capability.UNIX_SOCKETS),
                "the " + loop.backendName() + " loop has no Unix domain sockets");
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("group.sock"));
        BlockingQueue<Echo> served = new LinkedBlockingQueue<>();
        try (LoopGroup group = openGroup(2)) {
            assertThrows(UnsupportedOperationException.class,
                    () -> GroupServer.listen(group, address, Echo::new, SocketOptions.DEFAULTS, Spread.REUSE_PORT));
            GroupServer server = GroupServer.listen(group, address, () -> new Echo(served), SocketOptions.DEFAULTS);
            assertEquals(Spread.ACCEPTOR, server.spread());
            List<EventLoop> servedBy = new ArrayList<>();
            for (int i = 0; i < 4; i++) {
                try (SocketChannel client = SocketChannel.open(StandardProtocolFamily.UNIX)) {
                    client.connect(address);
                    client.write(ByteBuffer.wrap(("unix " + i).getBytes(StandardCharsets.US_ASCII)));
                    client.shutdownOutput();
                    ByteBuffer answer = ByteBuffer.allocate(64);
                    while (client.read(answer) >= 0) {
                        // until the server, having echoed, closes
                    }
                    assertEquals("unix " + i, new String(answer.array(), 0, answer.position(),
                            StandardCharsets.US_ASCII));
                    servedBy.add(take(served).loop());
                }
            }
            List<EventLoop> loops = group.loops();
            assertEquals(List.of(loops.get(0), loops.get(1), loops.get(0), loops.get(1)), servedBy);
        }
    }

    @Test
    void closingFromSeveralThreadsAtOnceReturnsEverywhereOnceTheLoopsAreClosed() throws Exception {
        LoopGroup group = openGroup(2);
        List<ForeignThread<Boolean>> closers = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            closers.add(onForeignThread(() -> {
                group.close();
                return group.loops().stream().allMatch(EventLoop::isClosed);
            }));
        }
        for (ForeignThread<Boolean> closer : closers) {
            assertTrue(closer.result().get(PATIENCE.toSeconds(), TimeUnit.SECONDS),
                    "every loop is closed when close() returns");
        }
    }

    /** The platform thread that runs the loop, read in a callback (inside a task the current thread is virtual). */
    private static Thread threadOf(EventLoop target) throws Exception {
        CompletableFuture<Thread> thread = new CompletableFuture<>();
        target.execute(() -> thread.complete(Thread.currentThread()));
        return thread.get(PATIENCE.toSeconds(), TimeUnit.SECONDS);
    }
}
