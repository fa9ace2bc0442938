package dev.weft.metrics;

import dev.weft.loop.EventLoop;
import dev.weft.loop.LagProbe;
import dev.weft.loop.LoopClosedException;
import dev.weft.loop.Loops;
import dev.weft.loop.TaskMode;
import dev.weft.nio.NioEventLoop;
import dev.weft.vthreads.VirtualThreadEventLoop;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/** A loop's MBean, read as jconsole would: through the platform MBean server, from a thread that is not the loop's. */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MetricsTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    /** The backends and task modes the test runs on: the selector loop and the virtual-thread one. */
    enum Backend {
        NIO_CARRIED, NIO_BATON, VTHREADS_CARRIED, VTHREADS_BATON;

        EventLoop open() {
            TaskMode mode = name().endsWith("BATON") ? TaskMode.BATON : TaskMode.bestAvailable();
            return name().startsWith("NIO") ? new NioEventLoop(mode) : new VirtualThreadEventLoop(mode);
        }
    }

    @ParameterizedTest
    @EnumSource(Backend.class)
    void theMBeanShowsTheLoopsHealthAndLagAndGoesAwayWhenTheLoopCloses(Backend backend) throws Exception {
        EventLoop loop = backend.open();
        ObjectName name = Metrics.register(loop, Duration.ofMillis(1));
        assertTrue(SERVER.isRegistered(name), name + " registered");
        assertEquals("Loop", name.getKeyProperty("type"));
        assertEquals(loop.backendName(), name.getKeyProperty("backend"));
        assertEquals(name, Metrics.register(loop), "registering again keeps the MBean");

        Loops.run(() -> loop, () -> {
            // The probe samples by itself; then a callback holds the loop 50 ms, a real block, with a sample in flight
            // across it (asked for as it starts, whatever the sampler thread's timing), so a lag >= 50 ms is certain.
            loop.runInExecutor(null, () -> awaitAttribute(name, "LagSamples", (Long n) -> n >= 1)).await();
            LagProbe probe = Metrics.beanOf(loop).probe();
            loop.callSoon(() -> {
                probe.sample();
                holdTheLoop(Duration.ofMillis(50));
            });
            loop.runInExecutor(null, () -> awaitAttribute(name, "LagMaxMillis", (Double ms) -> ms >= 40)).await();
            assertEquals(1, loop.runInExecutor(null, () -> SERVER.getAttribute(name, "TasksAlive")).await(),
                    "the main task");
            assertEquals(0, loop.runInExecutor(null, () -> SERVER.getAttribute(name, "OpenTransports")).await());
            long callbacks = (Long) loop.runInExecutor(null, () -> SERVER.getAttribute(name, "Callbacks")).await();
            assertTrue(callbacks >= 3, "callbacks: " + callbacks);
            double p999 = (Double) loop.runInExecutor(null, () -> SERVER.getAttribute(name, "LagP999Millis")).await();
            double p50 = (Double) loop.runInExecutor(null, () -> SERVER.getAttribute(name, "LagP50Millis")).await();
            assertTrue(p50 <= p999, "p50 " + p50 + " <= p99.9 " + p999);
            assertEquals(loop.backendName(), SERVER.getAttribute(name, "Backend"));
        });

        assertFalse(SERVER.isRegistered(name), "the MBean went away with the loop");
        assertNull(Metrics.nameOf(loop));
        assertFalse(Metrics.unregister(loop), "nothing left to unregister");
    }

    /** Samples taken at moments of the test's choosing (the probe's own interval is an hour): counted, then reset. */
    @Test
    void resetLagForgetsTheSamples() throws Exception {
        EventLoop loop = new NioEventLoop();
        ObjectName name = Metrics.register(loop, Duration.ofHours(1));
        LagProbe probe = Metrics.beanOf(loop).probe();
        Loops.run(() -> loop, () -> {
            for (int i = 0; i < 3; i++) {
                sampleAndWait(loop, probe);
            }
            assertEquals(3L, loop.runInExecutor(null, () -> SERVER.getAttribute(name, "LagSamples")).await());
            loop.runInExecutor(null, () -> SERVER.invoke(name, "resetLag", null, null)).await();
            assertEquals(0L, loop.runInExecutor(null, () -> SERVER.getAttribute(name, "LagSamples")).await());
            assertEquals(0.0, loop.runInExecutor(null, () -> SERVER.getAttribute(name, "LagMaxMillis")).await());
            sampleAndWait(loop, probe);
            assertEquals(1L, loop.runInExecutor(null, () -> SERVER.getAttribute(name, "LagSamples")).await());
        });
    }

    /** In a task of the loop: take a sample and wait until it has been recorded (it runs before a later callback). */
    private static void sampleAndWait(EventLoop loop, LagProbe probe) {
        probe.sample();
        dev.weft.loop.Future<Void> after = loop.createFuture();
        loop.callSoon(() -> after.setResult(null));
        after.await();
    }

    @Test
    void withThePropertyEveryLoopIsRegisteredWhenItFirstRuns() {
        String before = System.getProperty(Metrics.ENABLED_PROPERTY);
        System.setProperty(Metrics.ENABLED_PROPERTY, "true");
        MetricsObserver observer;
        try {
            observer = new MetricsObserver();
        } finally {
            if (before == null) {
                System.clearProperty(Metrics.ENABLED_PROPERTY);
            } else {
                System.setProperty(Metrics.ENABLED_PROPERTY, before);
            }
        }
        EventLoop loop = new NioEventLoop();
        try {
            observer.loopStarted(loop);
            ObjectName name = Metrics.nameOf(loop);
            assertTrue(name != null && SERVER.isRegistered(name), "registered: " + name);
            observer.loopClosed(loop);
            assertFalse(SERVER.isRegistered(name), "gone at close");
        } finally {
            loop.close();
        }
    }

    /** A thousand loops registered, run and closed: no MBean, registration or sampler thread is left of them. */
    @Test
    void aThousandLoopsComeAndGoLeavingNothing() throws Exception {
        ObjectName loops = new ObjectName("dev.weft:type=Loop,*");
        int mbeansBefore = SERVER.queryNames(loops, null).size();
        for (int i = 0; i < 1000; i++) {
            EventLoop loop = i % 2 == 0 ? new NioEventLoop() : new VirtualThreadEventLoop();
            ObjectName name = Metrics.register(loop, Duration.ofMillis(1));
            if (i % 4 < 2) {
                Loops.run(() -> loop, () -> { });
            } else {
                loop.close();
            }
            assertFalse(SERVER.isRegistered(name), name + " after its loop closed");
            assertNull(Metrics.nameOf(loop));
        }
        assertEquals(mbeansBefore, SERVER.queryNames(loops, null).size(), "loop MBeans");
        long samplers = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().equals("weft-lag-probe")).count();
        assertTrue(samplers <= 1, "lag sampler threads: " + samplers);
    }

    /** A loop registered but never run: its close still takes the MBean away, and the registry lets go of it. */
    @Test
    void aLoopThatNeverRanLosesItsMBeanWhenItCloses() {
        EventLoop loop = new NioEventLoop();
        ObjectName name = Metrics.register(loop, Duration.ofHours(1));
        loop.close();
        assertFalse(SERVER.isRegistered(name), "the MBean of a loop closed without running went with it");
        assertNull(Metrics.nameOf(loop), "the registry holds no closed loop");
    }

    @Test
    void aClosedLoopOrABadIntervalIsRefused() {
        EventLoop loop = new NioEventLoop();
        IllegalArgumentException zero = assertThrows(IllegalArgumentException.class,
                () -> Metrics.register(loop, Duration.ZERO));
        assertTrue(zero.getMessage().contains("interval"), zero.getMessage());
        assertNull(Metrics.nameOf(loop), "nothing registered");
        loop.close();
        assertThrows(LoopClosedException.class, () -> Metrics.register(loop));
    }

    /** Wait (on this foreign thread, spinning: a JMX read announces nothing) until the attribute passes the test. */
    @SuppressWarnings("unchecked")
    private static <T> T awaitAttribute(ObjectName name, String attribute, Predicate<T> test) throws JMException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
        while (true) {
            T value = (T) SERVER.getAttribute(name, attribute);
            if (test.test(value)) {
                return value;
            }
            if (System.nanoTime() - deadline > 0) {
                fail(attribute + " of " + name + " is still " + value + " after 5 s");
            }
            Thread.onSpinWait();
        }
    }

    /** Block the loop's thread: a real block, as a slow callback is, not a sleep. */
    private static void holdTheLoop(Duration duration) {
        long end = System.nanoTime() + duration.toNanos();
        while (System.nanoTime() - end < 0) {
            Thread.onSpinWait();
        }
    }
}
