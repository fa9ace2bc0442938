package dev.weft.http;

import dev.weft.loop.EventLoop;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A session's pool in the platform MBean server: registered when the session is built with
 * {@code -Dweft.metrics=true} (or {@link HttpSessionBuilder#poolMBean(boolean)}), unregistered when it closes. The
 * pool is confined to the session's loop, so a JMX read hands the loop a task and waits for its answer.
 */
final class HttpPoolMBean implements HttpPoolMXBean {
    private static final AtomicInteger IDS = new AtomicInteger();
    private static final long ANSWER_SECONDS = 2;

    private final EventLoop loop;
    private final HttpSession session;
    private final ObjectName name;

    private HttpPoolMBean(EventLoop loop, HttpSession session, ObjectName name) {
        this.loop = loop;
        this.session = session;
        this.name = name;
    }

    /** Register the session's pool; returns its name. */
    static ObjectName register(EventLoop loop, HttpSession session) {
        try {
            ObjectName name = new ObjectName("dev.weft:type=HttpPool,session=" + IDS.incrementAndGet());
            ManagementFactory.getPlatformMBeanServer().registerMBean(new HttpPoolMBean(loop, session, name), name);
            return name;
        } catch (JMException e) {
            throw new IllegalStateException("could not register the pool MBean of " + session + ": " + e, e);
        }
    }

    static void unregister(ObjectName name) {
        try {
            ManagementFactory.getPlatformMBeanServer().unregisterMBean(name);
        } catch (InstanceNotFoundException e) {
            // unregistered by someone else: gone either way
        } catch (JMException e) {
            throw new IllegalStateException("could not unregister the pool MBean " + name + ": " + e, e);
        }
    }

    /** The pool's figures now, read on the session's loop. */
    private PoolStats stats() {
        if (loop.inLoop()) {
            return session.poolStats();
        }
        if (loop.isClosed()) {
            throw new IllegalStateException(name + ": the session's " + loop.backendName() + " loop is closed but the"
                    + " session was never closed; close sessions (try-with-resources) so their MBean goes with them");
        }
        try {
            return loop.submit(session::poolStats).get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            throw new IllegalStateException(name + ": the session's " + loop.backendName() + " loop did not answer"
                    + " within " + ANSWER_SECONDS + " s; it is blocked, or not running");
        } catch (ExecutionException e) {
            throw new IllegalStateException(name + ": reading the pool failed: " + e.getCause(), e.getCause());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(name + ": interrupted while waiting for the session's loop", e);
        }
    }

    @Override
    public int getIdle() {
        return stats().idle();
    }

    @Override
    public int getBusy() {
        return stats().busy();
    }

    @Override
    public int getConnecting() {
        return stats().connecting();
    }

    @Override
    public int getWaiting() {
        return stats().waiting();
    }

    @Override
    public int getTotal() {
        return stats().total();
    }

    @Override
    public String[] getHosts() {
        return stats().hosts().entrySet().stream()
                .map(e -> e.getKey() + " idle=" + e.getValue().idle() + " busy=" + e.getValue().busy()
                        + " connecting=" + e.getValue().connecting() + " waiting=" + e.getValue().waiting())
                .toArray(String[]::new);
    }
}
