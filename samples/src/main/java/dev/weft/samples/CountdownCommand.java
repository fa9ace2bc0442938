package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * {@code weft countdown}: several countdowns interleaved on one loop, each a task that sleeps between its lines. The
 * lines come out in the order of their deadlines, whatever the order the tasks were started in — one thread, no locks.
 */
final class CountdownCommand implements Command {

    @Override
    public String name() {
        return "countdown";
    }

    @Override
    public String help() {
        return """
                usage: weft countdown [--from N] [--tick S]

                Three countdowns, A, B and C, at different paces, interleaved on one loop.
                  --from N    where each counts down from, 1 to 1000 (default 3)
                  --tick S    A's pace in seconds; B's is 1.5 ticks and C's 2 (default 0.1)

                example: weft countdown --from 5 --tick 0.2
                """;
    }

    @Override
    public String summary() {
        return "run countdowns A, B and C at different paces, interleaved on one loop [--from N] [--tick S]";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Options options = Options.parse(name(), args, Set.of("from", "tick"));
        int from = options.integer("from", 3, 1, 1000);
        Duration tick = options.seconds("tick", Duration.ofMillis(100));
        String summary = Loops.run(() -> {
            EventLoop loop = Async.loop();
            long start = loop.time();
            List<Task<Void>> countdowns = new ArrayList<>();
            int pace = 2;
            for (String name : List.of("A", "B", "C")) {
                Duration delay = tick.multipliedBy(pace++).dividedBy(2); // A: 1 tick, B: 1.5, C: 2
                countdowns.add(Tasks.spawn(name, () -> {
                    for (int n = from; n > 0; n--) {
                        Async.sleep(delay);
                        out.printf("%6.3fs  %s: %d%n", (loop.time() - start) / 1e9, name, n);
                    }
                    return null;
                }));
            }
            for (Task<Void> countdown : countdowns) {
                countdown.await();
            }
            return String.format("all done in %.3fs on the %s loop", (loop.time() - start) / 1e9, loop.backendName());
        });
        out.println(summary);
        return 0;
    }
}
