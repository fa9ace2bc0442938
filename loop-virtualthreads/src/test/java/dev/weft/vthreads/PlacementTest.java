package dev.weft.vthreads;

import dev.weft.loop.TaskMode;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.nio.NioEventLoop;
import dev.weft.vthreads.PatternProtocols.Echo;
import dev.weft.vthreads.PatternProtocols.Outcome;
import dev.weft.vthreads.PatternProtocols.Pump;
import dev.weft.vthreads.PatternProtocols.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code listen} with a placement: one loop accepts, the loops the placement names run the connections — their
 * protocols are made there and every callback runs there — and {@code closeClients} reaches them on their loops.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class PlacementTest {
    private static final InetSocketAddress LOCALHOST = new InetSocketAddress("127.0.0.1", 0);

    @Test
    void acceptedConnectionsRunOnTheLoopsThePlacementNames() throws Exception {
        try (LoopThread acceptor = new LoopThread("acceptor", new VirtualThreadEventLoop(TaskMode.CARRIED));
             LoopThread first = new LoopThread("worker-1", new VirtualThreadEventLoop(TaskMode.CARRIED));
             LoopThread second = new LoopThread("worker-2", new VirtualThreadEventLoop(TaskMode.CARRIED));
             LoopThread clients = new LoopThread("clients", new NioEventLoop(TaskMode.CARRIED))) {
            List<LoopThread> workers = List.of(first, second);
            AtomicInteger next = new AtomicInteger();
            List<String> placementCalledOn = new CopyOnWriteArrayList<>();
            List<Echo> made = new CopyOnWriteArrayList<>();
            List<Object> madeOn = new CopyOnWriteArrayList<>(); // the loop each protocol was made on, in order
            CompletableFuture<Echo> fifth = new CompletableFuture<>();
            Server server = acceptor.call(() -> acceptor.loop.listen(LOCALHOST, () -> {
                Echo echo = new Echo();
                made.add(echo);
                if (made.size() == 5) {
                    fifth.complete(echo);
                }
                madeOn.add(first.loop.inLoop() ? first.loop : second.loop.inLoop() ? second.loop : "elsewhere");
                return echo;
            }, SocketOptions.DEFAULTS, () -> {
                placementCalledOn.add(acceptor.loop.inLoop() ? "acceptor" : Thread.currentThread().getName());
                return workers.get(next.getAndIncrement() % 2).loop;
            }).await());
            SocketAddress address = server.addresses().getFirst();

            int size = 256 * 1024;
            List<Pump> pumps = List.of(new Pump(size), new Pump(size), new Pump(size), new Pump(size));
            for (Pump pump : pumps) {
                clients.call(() -> clients.loop.connect(address, pump, SocketOptions.DEFAULTS).await());
            }
            for (Pump pump : pumps) {
                Outcome outcome = LoopThread.await(pump.outcome);
                assertArrayEquals(PatternProtocols.pattern(size), outcome.bytes());
                assertNull(outcome.cause());
            }
            assertEquals(List.of("acceptor", "acceptor", "acceptor", "acceptor"), placementCalledOn);
            assertEquals(2, madeOn.stream().filter(on -> on == first.loop).count(), "made on the first: " + madeOn);
            assertEquals(2, madeOn.stream().filter(on -> on == second.loop).count(), "made on the second: " + madeOn);
            for (int i = 0; i < made.size(); i++) {
                Outcome outcome = LoopThread.await(made.get(i).outcome);
                assertTrue(outcome.allOnLoop(), "connection " + i + " ran its callbacks on its loop");
                assertSame(madeOn.get(i), made.get(i).transport.loop(), "connection " + i + " runs where it was made");
            }

            // closeClients reaches connections that live on other loops
            Recorder idle = new Recorder();
            clients.call(() -> clients.loop.connect(address, idle, SocketOptions.DEFAULTS).await());
            Echo serverEnd = LoopThread.await(fifth);
            LoopThread.await(serverEnd.made);
            acceptor.call(() -> {
                server.closeClients();
                return server.closed().await();
            });
            Outcome serverSide = LoopThread.await(serverEnd.outcome);
            assertEquals(List.of("made", "lost"), serverSide.events());
            assertEquals(List.of("made", "eof", "lost"), LoopThread.await(idle.outcome).events());
        }
    }

    @Test
    void aPlacementThatNamesAnotherBackendCostsTheConnectionAndIsReported() throws Exception {
        try (LoopThread acceptor = new LoopThread("acceptor", new VirtualThreadEventLoop(TaskMode.CARRIED));
             LoopThread nio = new LoopThread("nio", new NioEventLoop(TaskMode.CARRIED))) {
            List<Throwable> reported = new CopyOnWriteArrayList<>();
            acceptor.call(() -> {
                acceptor.loop.setExceptionHandler((loop, error) -> reported.add(error.exception()));
                return null;
            });
            Server server = acceptor.call(() -> acceptor.loop.listen(LOCALHOST, Recorder::new,
                    SocketOptions.DEFAULTS, () -> nio.loop).await());
            Recorder client = new Recorder();
            nio.call(() -> nio.loop.connect(server.addresses().getFirst(), client,
                    SocketOptions.DEFAULTS).await());
            Outcome outcome = LoopThread.await(client.outcome);
            assertEquals("lost", outcome.events().getLast(), "the connection was closed: " + outcome.events());
            acceptor.call(() -> { // after the report: the acceptor's loop made it before it ran this
                server.close();
                return null;
            });
            assertEquals(1, reported.size(), "reported: " + reported);
            assertInstanceOf(IllegalArgumentException.class, reported.getFirst());
            assertTrue(reported.getFirst().getMessage().contains("vthreads"), reported.getFirst().getMessage());
        }
    }
}
