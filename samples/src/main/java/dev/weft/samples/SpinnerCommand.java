package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * {@code weft spinner}: Fluent Python's spinner, twice. A spinner animates while a slow computation runs: first on a
 * platform thread that the main thread signals to stop, then as a task that the main task cancels. Same output,
 * different machinery: the thread is stopped by a flag it polls, the task by cancellation at its next await.
 */
final class SpinnerCommand implements Command {
    private static final String FRAMES = "\\|/-";
    private static final Duration FRAME = Duration.ofMillis(100);

    @Override
    public String name() {
        return "spinner";
    }

    @Override
    public String help() {
        return """
                usage: weft spinner [--mode thread|task|both] [--seconds S]

                Fluent Python's spinner: a spinner turns while a slow call runs, once with a thread and once with a task.
                  --mode thread|task|both   which to show (default both)
                  --seconds S               how long the slow call takes (default 3)

                example: weft --loop epoll spinner --mode task --seconds 1
                """;
    }

    @Override
    public String summary() {
        return "animate a spinner during a slow call, with a thread and with a task [--mode thread|task|both]"
                + " [--seconds S]";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        Options options = Options.parse(name(), args, Set.of("mode", "seconds"));
        Duration slow = options.seconds("seconds", Duration.ofSeconds(3));
        String mode = options.get("mode", "both");
        if (!Set.of("thread", "task", "both").contains(mode)) {
            throw new Options.UsageException("weft spinner: --mode is thread, task or both; not '" + mode + "'");
        }
        if (!mode.equals("task")) {
            out.println("thread: Answer: " + withThread(slow, out));
        }
        if (!mode.equals("thread")) {
            out.println("task:   Answer: " + withTask(slow, out));
        }
        return 0;
    }

    /** The slow call blocks the main thread; the spinner thread polls a latch between frames. */
    private static int withThread(Duration slow, PrintStream out) throws InterruptedException {
        CountDownLatch done = new CountDownLatch(1);
        Thread spinner = Thread.ofPlatform().name("spinner").start(() -> {
            try {
                for (int i = 0; !done.await(FRAME.toMillis(), TimeUnit.MILLISECONDS); i++) {
                    frame(out, "thread", i);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            clear(out);
        });
        Thread.sleep(slow); // the slow call
        done.countDown();
        spinner.join();
        return 42;
    }

    /** The slow call suspends the main task; the spinner task ends when cancelled at its sleep. */
    private static int withTask(Duration slow, PrintStream out) {
        return Loops.run(() -> {
            Task<Void> spinner = Tasks.spawn("spinner", () -> {
                try {
                    for (int i = 0; ; i++) {
                        frame(out, "task", i);
                        Async.sleep(FRAME);
                    }
                } finally {
                    clear(out);
                }
            });
            Async.sleep(slow); // the slow call, awaited
            spinner.cancel();
            try {
                spinner.await();
            } catch (CancellationException expected) {
                // the spinner ended the way we asked it to
            }
            return 42;
        });
    }

    private static void frame(PrintStream out, String who, int i) {
        out.print("\r" + FRAMES.charAt(i % FRAMES.length()) + " thinking (" + who + ")");
        out.flush();
    }

    private static void clear(PrintStream out) {
        out.print("\r" + " ".repeat(24) + "\r");
        out.flush();
    }
}
