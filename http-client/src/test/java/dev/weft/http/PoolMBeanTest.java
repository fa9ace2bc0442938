package dev.weft.http;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Loops;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import java.lang.management.ManagementFactory;
import java.util.concurrent.CountDownLatch;

import static dev.weft.http.Sessions.withSession;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * A session's pool as JMX shows it ({@link HttpPoolMXBean}), read through the platform MBean server from a thread
 * that is not the loop's, on every backend; gone once the session closes.
 */
@Timeout(30)
class PoolMBeanTest {
    private static final MBeanServer SERVER = ManagementFactory.getPlatformMBeanServer();

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void thePoolMBeanShowsOneIdleConnectionAfterARequest(String backend) throws Exception {
        ObjectName name = withSession(backend, HttpSession.builder().poolMBean(true), session -> {
            ObjectName registered = session.poolMBeanName();
            assertTrue(SERVER.isRegistered(registered), registered + " registered");
            assertEquals("HttpPool", registered.getKeyProperty("type"));
            try (TestServer server = TestServer.start(TestServer.answering(200, "hello"))) {
                try (HttpResponse response = session.get(server.url("/"))) {
                    assertEquals("hello", response.text());
                }
                EventLoop loop = EventLoop.current();
                assertEquals(1, loop.runInExecutor(null, () -> SERVER.getAttribute(registered, "Idle")).await());
                assertEquals(0, loop.runInExecutor(null, () -> SERVER.getAttribute(registered, "Busy")).await());
                assertEquals(1, loop.runInExecutor(null, () -> SERVER.getAttribute(registered, "Total")).await());
                String origin = server.url("").replaceAll("/$", "");
                assertArrayEquals(new String[] {origin + " idle=1 busy=0 connecting=0 waiting=0"},
                        (String[]) loop.runInExecutor(null, () -> SERVER.getAttribute(registered, "Hosts")).await());
                assertEquals(1, SERVER.getAttribute(registered, "Idle"), "read on the loop itself");
            }
            return registered;
        });
        assertFalse(SERVER.isRegistered(name), "gone once the session closed");
    }

    /** A session its program forgot to close: its MBean goes when its loop closes, and with it the loop and pool. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "vthreads"})
    void aSessionNeverClosedLosesItsPoolMBeanWhenItsLoopCloses(String backend) throws Exception {
        ObjectName name = Loops.run(TestLoops.named(backend),
                () -> HttpSession.builder().poolMBean(true).build().poolMBeanName());
        assertFalse(SERVER.isRegistered(name), name + " gone with its loop");
    }

    /** A monitor's read is no task of the program's: it does not show in the loop's tasks. */
    @ParameterizedTest
    @ValueSource(strings = {"nio", "vthreads"})
    void aReadFromAnotherThreadStartsNoTask(String backend) throws Exception {
        withSession(backend, HttpSession.builder().poolMBean(true), session -> {
            EventLoop loop = EventLoop.current();
            long before = loop.stats().tasksStarted();
            assertEquals(0, loop.runInExecutor(null, () -> SERVER.getAttribute(session.poolMBeanName(), "Idle"))
                    .await());
            assertEquals(before, loop.stats().tasksStarted(), "tasks started by the read");
            return null;
        });
    }

    /** A loop held up by a blocking callback: a JMX read gives up after its 2 s, saying why, and does not hang. */
    @ParameterizedTest
    @ValueSource(strings = {"nio"})
    void aReadOfABlockedLoopFailsInsteadOfHanging(String backend) throws Exception {
        withSession(backend, HttpSession.builder().poolMBean(true), session -> {
            ObjectName name = session.poolMBeanName();
            EventLoop loop = EventLoop.current();
            CountDownLatch answered = new CountDownLatch(1);
            Future<Throwable> failure = loop.runInExecutor(null, () -> {
                try {
                    SERVER.getAttribute(name, "Idle");
                    return null;
                } catch (Exception e) {
                    return e;
                } finally {
                    answered.countDown();
                }
            });
            loop.callSoon(() -> {
                try {
                    answered.await(); // the loop is blocked until the read has given up
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                }
            });
            Throwable thrown = failure.await();
            assertTrue(thrown instanceof RuntimeMBeanException, "thrown: " + thrown);
            assertTrue(thrown.getCause().getMessage().contains("did not answer"), thrown.getCause().getMessage());
            assertEquals(0, SERVER.getAttribute(name, "Idle"), "read on the loop, once it is free again");
            return null;
        });
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio"})
    void aSessionHasNoPoolMBeanUnlessAskedFor(String backend) throws Exception {
        withSession(backend, session -> {
            assertNull(session.poolMBeanName());
            return null;
        });
    }
}
