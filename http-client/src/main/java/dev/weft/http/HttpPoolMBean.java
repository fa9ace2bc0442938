package dev.weft.http;

import dev.weft.loop.EventLoop;

import javax.management.InstanceNotFoundException;
import javax.management.JMException;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
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
    private static final Map<EventLoop, Set<ObjectName>> BY_LOOP = new ConcurrentHashMap<>();

    private final EventLoop loop;
    private final HttpSession session;
    private final ObjectName name;

    private HttpPoolMBean(EventLoop loop, HttpSession session, ObjectName name) {
        this.loop = loop;
        this.session = session;
        this.name = name;
    }

    /**
     * Register the session's pool; returns its name. It goes when the session closes, or at the latest when its loop
     * closes ({@link PoolMBeanObserver}): a session never closed must not keep its loop and pool in the MBean server.
     */
    static ObjectName register(EventLoop loop, HttpSession session) {
        try {
            ObjectName name = new ObjectName("dev.weft:type=HttpPool,session=" + IDS.incrementAndGet());
            ManagementFactory.getPlatformMBeanServer().registerMBean(new HttpPoolMBean(loop, session, name), name);
            BY_LOOP.computeIfAbsent(loop, l -> ConcurrentHashMap.newKeySet()).add(name);
            return name;
        } catch (JMException e) {
            throw new IllegalStateException("could not register the pool MBean of " + session + ": " + e, e);
        }
    }

    /** Unregister the pool MBeans of the loop's sessions that were never closed. */
    static void loopClosed(EventLoop loop) {
        Set<ObjectName> names = BY_LOOP.remove(loop);
        if (names != null) {
            names.forEach(HttpPoolMBean::unregisterName);
        }
    }

    static void unregister(EventLoop loop, ObjectName name) {
        Set<ObjectName> names = BY_LOOP.get(loop);
        if (names != null) {
            names.remove(name);
        }
        unregisterName(name);
    }

    private static void unregisterName(ObjectName name) {
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
        // A callback, not a task: a monitor's reads are no tasks of the program's (they would count in its tasks and
        // its dump), and one read of a blocked loop leaves behind one queued callback, not a parked task.
        CompletableFuture<PoolStats> answer = new CompletableFuture<>();
        try {
            loop.execute(() -> {
                try {
                    answer.complete(session.poolStats());
                } catch (Throwable t) {
                    answer.completeExceptionally(t);
                }
            });
            return answer.get(ANSWER_SECONDS, TimeUnit.SECONDS);
        } catch (RejectedExecutionException e) {
            throw new IllegalStateException(name + ": the session's " + loop.backendName() + " loop closed", e);
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
