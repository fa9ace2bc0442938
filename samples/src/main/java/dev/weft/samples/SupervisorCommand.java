package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.scope.Timeout;
import dev.weft.supervise.Backoff;
import dev.weft.supervise.ChildSpec;
import dev.weft.supervise.Supervisor;
import dev.weft.supervise.SupervisorGaveUpException;
import dev.weft.supervise.SupervisorSpec;
import dev.weft.sync.AsyncQueue;

import java.io.PrintStream;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * {@code weft supervisor}: "let it crash". A supervision tree serves requests while its workers crash at random; the
 * supervisors restart them, and the requests keep being served:
 *
 * <pre>
 * root       one-for-one, at most 3 restarts in 10 s
 * ├── requests   puts numbered requests into a queue of 64
 * └── workers    one-for-one, at most 10 restarts a second per worker, backoff 5 ms doubling to 50 ms
 *     ├── worker-1   takes a request, works 1 to 5 ms, crashes with the given chance
 *     └── ...
 * </pre>
 *
 * One loop, one thread: the queue is an {@code AsyncQueue}, and the random crashes come from one seeded
 * {@link Random}, so a seed replays the same sequence of work times and crashes.
 */
final class SupervisorCommand implements Command {
    private static final int QUEUE_SIZE = 64;

    @Override
    public String name() {
        return "supervisor";
    }

    @Override
    public String summary() {
        return "serve requests with a supervision tree of workers that crash at random and are restarted "
                + "[--seconds S] [--crash-rate R] [--seed N] [--workers W]";
    }

    @Override
    public String help() {
        return """
                usage: weft supervisor [--seconds S] [--crash-rate R] [--seed N] [--workers W]

                A supervision tree serves requests while its workers crash at random: each crash and
                restart is printed, the requests keep being served, and a last line gives the counts.
                  --seconds S      how long to serve, 0 to 3600 (default 5); Ctrl-C ends it sooner
                  --crash-rate R   the chance a worker crashes on a request, 0 to 1 (default 0.02)
                  --seed N         seeds the work times and crashes (default 1)
                  --workers W      how many workers, 1 to 64 (default 4)

                example: weft supervisor --seconds 2 --crash-rate 0.05
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Options options = Options.parse(name(), args, Set.of("seconds", "crash-rate", "seed", "workers"));
        Duration seconds = options.seconds("seconds", Duration.ofSeconds(5));
        double crashRate = crashRate(options.get("crash-rate", "0.02"));
        int seed = options.integer("seed", 1, Integer.MIN_VALUE, Integer.MAX_VALUE);
        int workers = options.integer("workers", 4, 1, 64);
        // This sample prints one line per crash itself; the supervisors' own records (a WARNING with the stack trace
        // per crash) would say the same again on standard error.
        Logger supervisorLog = Logger.getLogger("dev.weft.supervise");
        Level saved = supervisorLog.getLevel();
        supervisorLog.setLevel(Level.SEVERE);
        try {
            return Loops.run(() -> new Service(out, new Random(seed), crashRate).serve(workers, seconds));
        } catch (SupervisorGaveUpException gaveUp) {
            err.println("weft supervisor: " + gaveUp.getMessage());
            return 1;
        } finally {
            supervisorLog.setLevel(saved);
        }
    }

    private static double crashRate(String text) {
        try {
            double rate = Double.parseDouble(text);
            if (rate >= 0 && rate <= 1) {
                return rate;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new Options.UsageException("weft supervisor: --crash-rate takes a chance from 0 to 1, like 0.05; not '"
                + text + "'");
    }

    /** The tree and its counts; everything runs on one loop. */
    private static final class Service {
        private final PrintStream out;
        private final Random random;
        private final double crashRate;
        private final AsyncQueue<Integer> requests = AsyncQueue.fifo(QUEUE_SIZE);
        private final Map<String, Integer> runs = new HashMap<>();
        private final EventLoop loop = Async.loop();
        private final long start = loop.time();
        private int served;
        private int crashes;
        private int restarts;

        Service(PrintStream out, Random random, double crashRate) {
            this.out = out;
            this.random = random;
            this.crashRate = crashRate;
        }

        int serve(int workers, Duration seconds) {
            SupervisorSpec workerTree = Supervisor.oneForOne().maxRestarts(10 * workers, Duration.ofSeconds(1))
                    .backoff(Backoff.exponential(Duration.ofMillis(5), Duration.ofMillis(50)));
            for (int i = 1; i <= workers; i++) {
                String name = "worker-" + i;
                workerTree = workerTree.child(name, () -> work(name));
            }
            SupervisorSpec finalWorkers = workerTree;
            SupervisorSpec root = Supervisor.oneForOne().named("root").maxRestarts(3, Duration.ofSeconds(10))
                    .child("requests", this::generate)
                    .child(ChildSpec.starting("workers", started -> {
                        try {
                            finalWorkers.named("workers").run(started);
                        } catch (SupervisorGaveUpException gaveUp) {
                            say("workers gave up: more than " + 10 * workers + " restarts in 1 s; root restarts them");
                            throw gaveUp;
                        }
                    }));
            say("serving with " + workers + " workers for " + seconds.toMillis() / 1000.0 + " s, crash rate "
                    + crashRate);
            try (Supervisor supervisor = root.start()) {
                Timeout.orNull(seconds, () -> {
                    supervisor.await(); // returns only by throwing: the root gave up
                    return null;
                });
            } finally {
                out.printf("served %d requests in %.1f s; %d crashes, %d restarts%n", served,
                        (loop.time() - start) / 1e9, crashes, restarts);
            }
            return 0;
        }

        private void generate() {
            for (int n = 1; ; n++) {
                requests.put(n); // waits while the queue is full: the workers set the pace
            }
        }

        private void work(String name) {
            int run = runs.merge(name, 1, Integer::sum);
            if (run > 1) {
                restarts++;
                say(name + " restarted (run " + run + ")");
            }
            while (true) {
                int request = requests.get();
                Async.sleep(Duration.ofMillis(1 + random.nextInt(5)));
                if (random.nextDouble() < crashRate) {
                    crashes++;
                    say(name + " crashed serving request " + request);
                    throw new IllegalStateException(name + " crashed serving request " + request);
                }
                served++;
            }
        }

        private void say(String line) {
            out.printf("%7.3fs  %s%n", (loop.time() - start) / 1e9, line);
        }
    }
}
