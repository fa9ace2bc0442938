package dev.weft.http;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.testkit.OpenDescriptors;

import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A session for one test on a new loop of a backend, checked afterwards: nothing left busy and no task but main when
 * the test's body ends, no connection at all once the session is closed, and no socket or descriptor open once the
 * loop is.
 */
final class Sessions {
    private Sessions() {
    }

    @FunctionalInterface
    interface SessionBody<T> {
        T run(HttpSession session) throws Exception;
    }

    static <T> T withSession(String backend, HttpSessionBuilder settings, SessionBody<T> body) throws Exception {
        Map<String, String> descriptorsBefore = OpenDescriptors.now();
        T result = Loops.run(TestLoops.named(backend), () -> {
            HttpSession session = settings.build();
            try {
                T value = body.run(session);
                assertEquals(0, session.poolStats().busy(), "nothing left busy: " + session.poolStats());
                assertEquals(Set.of(Task.currentOrNull()), EventLoop.current().allTasks(), "no task left but main");
                return value;
            } finally {
                session.close();
                assertEquals(0, session.poolStats().total(), "nothing left once closed: " + session.poolStats());
            }
        });
        assertEquals(Map.of(), OpenDescriptors.leakedSince(descriptorsBefore),
                "sockets or kernel objects still open once the session and its loop were closed");
        return result;
    }

    static <T> T withSession(String backend, SessionBody<T> body) throws Exception {
        return withSession(backend, HttpSession.builder(), body);
    }
}
