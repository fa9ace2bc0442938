package dev.weft.metrics;

import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopClosedException;

import javax.management.InstanceAlreadyExistsException;
import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.time.Duration;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Loop health over JMX: {@link #register(EventLoop)} shows a loop as {@code dev.weft:type=Loop,id=N,backend=NAME}
 * ({@link LoopMXBean}) in the platform MBean server, where jconsole and VisualVM find it (and any JMX client, once
 * {@code jcmd PID ManagementAgent.start} opened the process to remote tools), and starts sampling its lag. With {@code -Dweft.metrics=true} every loop is registered when it first runs. Either way the
 * MBean goes away when the loop closes, or at {@link #unregister}.
 *
 * <p>Off, this module costs nothing: the loop keeps its counters anyway (one increment per event) and no probe runs.
 * On, each loop gets one lag sample per interval (50 ms by default): a callback handed to it by a shared daemon
 * thread. Thread-safe.
 */
public final class Metrics {
    /** The system property that registers every loop when it first runs: {@code -Dweft.metrics=true}. */
    public static final String ENABLED_PROPERTY = "weft.metrics";
    /** How often a loop's lag is sampled unless {@link #register(EventLoop, Duration)} says otherwise. */
    public static final Duration DEFAULT_LAG_INTERVAL = Duration.ofMillis(50);

    private static final AtomicInteger IDS = new AtomicInteger();
    private static final Map<EventLoop, Registration> REGISTERED = new ConcurrentHashMap<>();

    private record Registration(ObjectName name, LoopMetrics bean) {
    }

    private Metrics() {
    }

    /** Whether {@code -Dweft.metrics=true} asks for every loop to be registered. */
    public static boolean enabledByProperty() {
        return Boolean.getBoolean(ENABLED_PROPERTY);
    }

    /** {@link #register(EventLoop, Duration)} with the lag sampled every 50 ms. */
    public static ObjectName register(EventLoop loop) {
        return register(loop, DEFAULT_LAG_INTERVAL);
    }

    /**
     * Show the loop's health as an MBean and sample its lag every {@code lagInterval}, until the loop closes or
     * {@link #unregister}. A loop already registered keeps its MBean (and its interval): its name is returned.
     *
     * @return the MBean's name, {@code dev.weft:type=Loop,id=N,backend=NAME}
     * @throws LoopClosedException      if the loop is closed
     * @throws IllegalArgumentException if the interval is not positive
     */
    public static ObjectName register(EventLoop loop, Duration lagInterval) {
        Objects.requireNonNull(loop, "loop");
        Objects.requireNonNull(lagInterval, "lagInterval");
        return REGISTERED.computeIfAbsent(loop, l -> publish(l, lagInterval)).name();
    }

    private static Registration publish(EventLoop loop, Duration lagInterval) {
        ObjectName name = nameOf(IDS.incrementAndGet(), loop.backendName());
        LoopMetrics bean = new LoopMetrics(loop, lagInterval);
        try {
            server().registerMBean(bean, name);
        } catch (InstanceAlreadyExistsException e) {
            bean.close();
            throw new IllegalStateException("an MBean named " + name + " is registered already, not by Weft", e);
        } catch (JMException e) {
            bean.close();
            throw new IllegalStateException("could not register the MBean " + name + ": " + e.getMessage(), e);
        }
        return new Registration(name, bean);
    }

    /** Remove the loop's MBean and stop sampling its lag; returns whether it was registered. */
    public static boolean unregister(EventLoop loop) {
        Registration registration = REGISTERED.remove(loop);
        if (registration == null) {
            return false;
        }
        registration.bean().close();
        try {
            server().unregisterMBean(registration.name());
        } catch (InstanceNotFoundException e) {
            // someone else unregistered it: gone either way
        } catch (JMException e) {
            throw new IllegalStateException("could not unregister the MBean " + registration.name(), e);
        }
        return true;
    }

    /** The loop's MBean, or null: for tests, which take a lag sample at a moment of their choosing. */
    static LoopMetrics beanOf(EventLoop loop) {
        Registration registration = REGISTERED.get(loop);
        return registration == null ? null : registration.bean();
    }

    /** The name of the loop's MBean, or null if it is not registered. */
    public static ObjectName nameOf(EventLoop loop) {
        Registration registration = REGISTERED.get(loop);
        return registration == null ? null : registration.name();
    }

    private static ObjectName nameOf(int id, String backend) {
        try {
            // Quoted only if it must be: a backend's name is a plain word, and jconsole shows quotes as they are.
            String value = backend.matches("[\\w.-]+") ? backend : ObjectName.quote(backend);
            return new ObjectName("dev.weft:type=Loop,id=" + id + ",backend=" + value);
        } catch (JMException e) {
            throw new IllegalStateException(e);
        }
    }

    private static MBeanServer server() {
        return ManagementFactory.getPlatformMBeanServer();
    }
}
