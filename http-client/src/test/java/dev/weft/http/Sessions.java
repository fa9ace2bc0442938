package dev.weft.http;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;

import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A session for one test on a new loop of a backend, checked afterwards: nothing left busy and no task but main when
 * the test's body ends, and no connection at all once the session is closed.
 */
final class Sessions {
    private Sessions() {
    }

    @FunctionalInterface
    interface SessionBody<T> {
        T run(HttpSession session) throws Exception;
    }

    static <T> T withSession(String backend, HttpSessionBuilder settings, SessionBody<T> body) throws Exception {
        return Loops.run(TestLoops.named(backend), () -> {
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
    }

    static <T> T withSession(String backend, SessionBody<T> body) throws Exception {
        return withSession(backend, HttpSession.builder(), body);
    }
}
