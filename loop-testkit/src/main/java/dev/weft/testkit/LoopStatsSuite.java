package dev.weft.testkit;

import dev.weft.loop.Future;
import dev.weft.loop.LagProbe;
import dev.weft.loop.LoopStats;
import dev.weft.loop.Task;
import dev.weft.net.DatagramOptions;
import dev.weft.net.DatagramTransport;
import dev.weft.net.Server;
import dev.weft.net.StreamTransport;
import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@link dev.weft.loop.EventLoop#stats()}: the loop counts what it guarantees exactly (callbacks, tasks, transports)
 * and its backend counts its I/O events; another thread reads the same figures; a {@link LagProbe} sees a loop that
 * is held up.
 */
public abstract class LoopStatsSuite extends AbstractTransportSuite {
    private static final int CALLBACKS = 100;
    private static final int TASKS = 10;
    private static final int ROUND_TRIPS = 20;
    private static final Duration BETWEEN_RUNS = Duration.ofMillis(300);

    /** A callback reads the stats, schedules 100 more and a last one that reads them again: 101 callbacks between. */
    @Test
    void countsEveryCallbackExactly() {
        AtomicReference<LoopStats> before = new AtomicReference<>();
        AtomicReference<LoopStats> after = new AtomicReference<>();
        loop.callSoon(() -> {
            before.set(loop.stats());
            for (int i = 0; i < CALLBACKS; i++) {
                loop.callSoon(() -> { });
            }
            loop.callSoon(() -> {
                after.set(loop.stats());
                loop.stop();
            });
        });
        loop.runForever();
        assertEquals(CALLBACKS + 1, after.get().callbacks() - before.get().callbacks(),
                "the 100 callbacks and the one that read the stats");
        assertEquals(0, after.get().ioEvents() - before.get().ioEvents(), "no I/O happened");
    }

    /** Tasks count as started when created and as alive until they end; another thread reads the same figures. */
    @Test
    void countsTasksStartedAndAliveUntilTheyEnd() {
        List<LoopStats> seen = run(() -> {
            LoopStats start = loop.stats();
            Future<Void> gate = loop.createFuture();
            List<Task<Void>> tasks = new ArrayList<>();
            for (int i = 0; i < TASKS; i++) {
                tasks.add(loop.createTask(() -> {
                    gate.await();
                }));
            }
            LoopStats running = loop.stats();
            LoopStats fromAnotherThread = loop.runInExecutor(null, loop::stats).await();
            gate.setResult(null);
            for (Task<Void> task : tasks) {
                task.await();
            }
            return List.of(start, running, fromAnotherThread, loop.stats());
        });
        LoopStats start = seen.get(0);
        assertEquals(1, start.tasksAlive(), "the main task");
        assertEquals(TASKS, seen.get(1).tasksStarted() - start.tasksStarted(), "tasks started");
        assertEquals(TASKS + 1, seen.get(1).tasksAlive(), "tasks alive while they wait");
        assertEquals(TASKS + 1, seen.get(2).tasksAlive(), "the same, read by another thread");
        assertEquals(1, seen.get(3).tasksAlive(), "the main task, once the others ended");
        assertEquals(0, loop.stats().tasksAlive(), "none after the loop closed");
    }

    /** A connection counts twice on a loop that serves it too: the client's transport and the server's. */
    @Test
    void openTransportsGoUpWithAConnectionAndBackWhenItCloses() {
        List<LoopStats> seen = run(() -> {
            LoopStats before = loop.stats();
            Accepted<EchoProtocol> accepted = new Accepted<>(EchoProtocol::new);
            Server server = listen(accepted);
            RecordingProtocol client = new RecordingProtocol();
            StreamTransport transport = connect(server, client);
            EchoProtocol echo = accepted.nth(0).await();
            echo.made().await();
            LoopStats open = loop.stats();
            transport.close(); // the echo closes on EOF
            client.lost().await();
            echo.lost().await();
            server.close();
            return List.of(before, open, loop.stats());
        });
        assertEquals(0, seen.get(0).openTransports(), "before");
        assertEquals(2, seen.get(1).openTransports(), "client and server side");
        assertEquals(0, seen.get(2).openTransports(), "after both were lost");
    }

    /** A UDP endpoint counts while open; connections left open when the loop closes are counted out by its close. */
    @Test
    void openTransportsReturnToZeroForDatagramsAndAtTheLoopsClose() {
        int[] seen = run(() -> {
            DatagramSuite.Recording udp = new DatagramSuite.Recording();
            DatagramTransport endpoint = net().openDatagram(LOCALHOST, null, udp, DatagramOptions.DEFAULTS).await();
            int withUdp = loop.stats().openTransports();
            endpoint.close();
            udp.lost.await();
            int afterUdp = loop.stats().openTransports();
            Accepted<EchoProtocol> accepted = new Accepted<>(EchoProtocol::new);
            Server server = listen(accepted);
            connect(server, new RecordingProtocol()); // left open, as its server: the loop's close ends them
            accepted.nth(0).await().made().await();
            return new int[] {withUdp, afterUdp, loop.stats().openTransports()};
        });
        assertEquals(1, seen[0], "the UDP endpoint");
        assertEquals(0, seen[1], "after it was lost");
        assertEquals(2, seen[2], "a connection's two ends");
        assertEquals(0, loop.stats().openTransports(), "none once the loop closed");
    }

    /** Each round trip of an echo needs a read at each end: at least two I/O events, on every backend. */
    @Test
    void ioEventsGrowUnderAnEcho() {
        long[] events = run(() -> {
            Server server = listen(EchoProtocol::new);
            RecordingProtocol client = new RecordingProtocol();
            StreamTransport transport = connect(server, client);
            long before = loop.stats().ioEvents();
            for (int i = 1; i <= ROUND_TRIPS; i++) {
                transport.write(ByteBuffer.wrap(new byte[] {(byte) i}));
                client.received(i).await();
            }
            long after = loop.stats().ioEvents();
            transport.close();
            client.lost().await();
            server.close();
            return new long[] {before, after};
        });
        assertTrue(events[1] - events[0] >= 2L * ROUND_TRIPS,
                "I/O events over " + ROUND_TRIPS + " round trips: " + (events[1] - events[0]));
    }

    /**
     * The probe samples by itself; and a callback that holds the loop 50 ms makes the first sample to run after it at
     * least 50 ms late: the callback asks for a sample as it starts, so one is in flight across the block (the
     * probe's own, or the one asked for), whatever the sampler thread's timing on a busy machine.
     */
    @Test
    void theLagProbeSeesACallbackThatHoldsTheLoop() {
        boolean[] held = {false}; // both touched on the loop only
        Future<Long> first = loop.createFuture();
        Future<Long> firstAfter = loop.createFuture();
        LagProbe probe = LagProbe.start(loop, Duration.ofMillis(1), lag -> {
            if (!first.isDone()) {
                first.setResult(lag);
            } else if (held[0] && !firstAfter.isDone()) {
                firstAfter.setResult(lag);
            }
        });
        long lag;
        try {
            lag = run(() -> {
                first.await();
                loop.callSoon(() -> {
                    probe.sample();
                    holdTheLoop(Duration.ofMillis(50));
                    held[0] = true;
                });
                return firstAfter.await();
            });
        } finally {
            probe.close();
        }
        assertTrue(lag >= TimeUnit.MILLISECONDS.toNanos(50), "lag of the sample after the block: " + lag + " ns");
    }

    /**
     * A sample still queued when a run ends runs early in the next run: it is late by nothing the loop did, so its lag
     * counts from that run's start, not across the 300 ms the loop was not running.
     */
    @Test
    void theLagProbeDoesNotCountTheTimeBetweenRuns() {
        List<Long> lags = new ArrayList<>(); // touched on the loop only, and read once it has stopped
        LagProbe probe = LagProbe.start(loop, Duration.ofHours(1), lags::add);
        try {
            loop.callSoon(() -> {
                probe.sample(); // queued for the next iteration: this one ends with stop()
                loop.stop();
            });
            loop.runForever();
            assertEquals(List.of(), lags, "the sample waits for the next run");
            holdTheLoop(BETWEEN_RUNS); // the loop is not running: no one is late
            loop.execute(loop::stop); // after the sample: it runs first
            loop.runForever();
        } finally {
            probe.close();
        }
        assertEquals(1, lags.size(), "one sample: " + lags);
        assertTrue(lags.get(0) < BETWEEN_RUNS.toNanos(), "lag of a sample queued across runs: " + lags.get(0) + " ns");
    }

    /** In virtual time the probe still samples, from outside the loop, and never moves the virtual clock. */
    @Test
    void theLagProbeLeavesAVirtualClockAlone() {
        VirtualClock clock = VirtualClock.install(loop);
        Future<Void> fiveSamples = loop.createFuture();
        int[] samples = {0}; // touched on the loop only
        LagProbe probe = LagProbe.start(loop, Duration.ofMillis(1), lag -> {
            if (++samples[0] == 5) {
                fiveSamples.setResult(null);
            }
        });
        try {
            run(() -> fiveSamples.await());
        } finally {
            probe.close();
        }
        assertEquals(Duration.ZERO, clock.elapsed(), "virtual time moved by the probe");
    }

    /** A probe of a closed loop cannot start; an interval of zero is refused, naming it. */
    @Test
    void theLagProbeRefusesBadInput() {
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> LagProbe.start(loop, Duration.ZERO, lag -> { }));
        assertTrue(zero.getMessage().contains("interval"), zero.getMessage());
        loop.close();
        assertThrows(dev.weft.loop.LoopClosedException.class,
                () -> LagProbe.start(loop, Duration.ofMillis(1), lag -> { }));
    }

    /** Block the loop's thread: a real block, as a slow callback is, not a sleep. */
    private static void holdTheLoop(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
