package dev.weft.samples;

import dev.weft.http.HttpResponse;
import dev.weft.http.HttpSession;
import dev.weft.loop.Async;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The fib server's point, as an outcome: a fast request sent while a slow one computes is answered first when the
 * work is on the executor, and only after it when the work holds the loop.
 */
@Timeout(60)
class FibServerTest {

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void onTheExecutorAFastRequestOvertakesASlowOne(String backend) throws Exception {
        assertEquals(List.of("fast", "fib"), order(backend, true));
    }

    @Test
    void onTheLoopTheSlowRequestHoldsTheFastOneUp() throws Exception {
        assertEquals(List.of("fib", "fast"), order("nio", false));
    }

    @Test
    void itAnswersFibAndRefusesWhatItCannot() throws Exception {
        List<String> answers = Loops.run(NamedLoops.named("nio"), () -> {
            try (FibServer server = FibServer.start("127.0.0.1", 0, true);
                 HttpSession session = HttpSession.builder().build()) {
                List<String> seen = new ArrayList<>();
                for (String path : List.of("/fib/20", "/fib/41", "/fib/x", "/nope")) {
                    try (HttpResponse response = session.get("http://127.0.0.1:" + server.port() + path)) {
                        seen.add(response.status() + " " + response.text().strip());
                    }
                }
                return seen;
            }
        });
        assertEquals(List.of("200 6765", "400 N is a whole number from 0 to 40, not '41'",
                "400 N is a whole number from 0 to 40, not 'x'",
                "404 the fib server answers /fib/N (N up to 40) and /fast"), answers);
    }

    /**
     * Which of a slow request (/fib/35) and a fast one sent once the slow one is being computed is answered first. The
     * server runs on a loop of its own, as it would in its own process.
     */
    private static List<String> order(String backend, boolean onExecutor) throws Exception {
        try (LoopGroup serverLoop = LoopGroup.open(1, NamedLoops.named(backend))) {
            FibServer server = serverLoop.submit(() -> FibServer.start("127.0.0.1", 0, onExecutor)).join();
            try {
                return Loops.run(NamedLoops.named(backend), () -> {
                    try (HttpSession session = HttpSession.builder().build()) {
                        String base = "http://127.0.0.1:" + server.port();
                        List<String> answered = Collections.synchronizedList(new ArrayList<>());
                        Task<Void> slow = Tasks.spawn(() -> get(session, base + "/fib/35", "fib", answered));
                        Async.await(server.firstComputation()); // the slow request is being computed
                        get(session, base + "/fast", "fast", answered);
                        slow.await();
                        return List.copyOf(answered);
                    }
                });
            } finally {
                serverLoop.submit(server::close).join();
            }
        }
    }

    private static Void get(HttpSession session, String url, String name, List<String> answered) throws Exception {
        try (HttpResponse response = session.get(url)) {
            response.bytes();
            answered.add(name);
        }
        return null;
    }
}
