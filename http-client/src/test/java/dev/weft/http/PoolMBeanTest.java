package dev.weft.http;

import dev.weft.loop.EventLoop;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import javax.management.MBeanServer;
import javax.management.ObjectName;
import java.lang.management.ManagementFactory;

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

    @ParameterizedTest
    @ValueSource(strings = {"nio"})
    void aSessionHasNoPoolMBeanUnlessAskedFor(String backend) throws Exception {
        withSession(backend, session -> {
            assertNull(session.poolMBeanName());
            return null;
        });
    }
}
