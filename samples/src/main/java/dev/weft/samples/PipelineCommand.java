package dev.weft.samples;

import dev.weft.channel.Channel;
import dev.weft.channel.Select;
import dev.weft.channel.Selected.Closed;
import dev.weft.channel.Selected.Received;
import dev.weft.channel.Selected.Sent;
import dev.weft.channel.Selected.TimedOut;
import dev.weft.loop.Async;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;

/**
 * {@code weft pipeline}: Go's concurrency patterns with Weft's channels and select. A generator sends numbers, workers
 * square them (fan-out: they share one channel), a merge brings their results together (fan-in: a select over their
 * channels), and a consumer reads the merged results. Every send and receive of a stage is a select that also listens
 * on a quit channel, so closing quit stops the whole pipeline; a select with a timeout gives up on a stage too slow.
 * The workers run on the two loops of a loop group, the other stages on the main loop: one channel spans threads.
 */
final class PipelineCommand implements Command {
    private static final Duration PATIENCE = Duration.ofMillis(100);

    @Override
    public String name() {
        return "pipeline";
    }

    @Override
    public String help() {
        return """
                usage: weft pipeline [--numbers N] [--workers W]

                Go's pipeline patterns on channels and select, in three runs:
                  1. generator -> W square workers (fan-out) -> merge (fan-in) -> consumer, to the end;
                  2. the same, stopped early: the consumer closes a quit channel after 3 squares;
                  3. a select with a timeout giving up on a worker slower than it waits for.
                The workers run on a group of two loops, the other stages on the main loop.
                  --numbers N   how many numbers the first run squares, 1 to 10000 (default 10)
                  --workers W   how many square workers, 1 to 64 (default 3)

                example: weft pipeline --numbers 5 --workers 2
                """;
    }

    @Override
    public String summary() {
        return "square numbers through channels: generator, fan-out, fan-in, quit, timeout [--numbers N] [--workers W]";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        Options options = Options.parse(name(), args, Set.of("numbers", "workers"));
        int numbers = options.integer("numbers", 10, 1, 10_000);
        int workers = options.integer("workers", 3, 1, 64);
        try (LoopGroup group = LoopGroup.open(2)) {
            Loops.run(() -> {
                out.printf("1. generator -> %d workers -> merge -> consumer; workers on the 2 %s loops of a group%n",
                        workers, group.backendName());
                Pipeline all = new Pipeline(group, numbers, workers);
                long sum = 0;
                int count = 0;
                for (Square square : all.merged) {
                    out.printf("   %s%n", square);
                    sum += square.square();
                    count++;
                }
                all.awaitStages();
                out.printf("   %d squares, sum %d (expected %d); every stage ended when its input did%n", count, sum,
                        (long) numbers * (numbers + 1) * (2L * numbers + 1) / 6);

                out.printf("2. the same on 10000 numbers, but the consumer takes 3 squares and closes quit%n");
                Pipeline early = new Pipeline(group, 10_000, workers);
                for (int i = 0; i < 3; i++) {
                    out.printf("   %s%n", early.merged.receive());
                }
                early.quit.close();
                int sent = early.awaitStages();
                out.printf("   quit closed: the generator stopped after %d of 10000 numbers, and every stage ended%n",
                        sent);

                out.printf("3. a worker slower than the %d ms the consumer waits%n", PATIENCE.toMillis());
                Channel<Integer> slow = Channel.<Integer>unbuffered().named("slow");
                Channel<Void> quit = Channel.<Void>unbuffered().named("quit");
                CompletableFuture<Void> worker = group.next().submit(() -> {
                    // Its "work" is a select that lasts a second unless quit closes first: a sleep that can be stopped.
                    if (Select.of(Select.receive(quit), Select.timeout(Duration.ofSeconds(1))) instanceof TimedOut) {
                        Select.of(Select.send(slow, 42), Select.receive(quit));
                    }
                });
                switch (Select.of(Select.receive(slow), Select.timeout(PATIENCE))) {
                    case TimedOut t -> out.printf("   no square within %d ms: timed out; quit closed, the worker stopped%n",
                            PATIENCE.toMillis());
                    default -> out.printf("   the slow worker answered in time%n");
                }
                quit.close();
                Async.await(worker);
                return null;
            });
        }
        return 0;
    }

    /** A number, its square, and who squared it. */
    record Square(int number, long square, int worker, int loop) {
        @Override
        public String toString() {
            return number + " squared is " + square + " (worker " + worker + ", loop " + loop + ")";
        }
    }

    /** The stages of one run: started by the constructor, wired by channels, all stopped by closing {@link #quit}. */
    private static final class Pipeline {
        final Channel<Void> quit = Channel.<Void>unbuffered().named("quit"); // never sent on: closing it is the signal
        final Channel<Square> merged = Channel.<Square>unbuffered().named("merged");
        private final Task<Integer> generator;
        private final List<CompletableFuture<Void>> workers = new ArrayList<>();
        private final Task<Void> merge;

        Pipeline(LoopGroup group, int count, int workerCount) {
            Channel<Integer> numbers = Channel.<Integer>unbuffered().named("numbers");
            generator = Tasks.spawn("generator", () -> generate(numbers, count));
            List<Channel<Square>> outputs = new ArrayList<>();
            for (int w = 1; w <= workerCount; w++) {
                Channel<Square> output = Channel.<Square>unbuffered().named("squares-" + w);
                outputs.add(output);
                int worker = w;
                int loop = w % 2;
                workers.add(group.loops().get(loop).submit(() -> square(numbers, output, worker, loop)));
            }
            merge = Tasks.spawn("merge", () -> merge(outputs));
        }

        /** Send 1..count, then close: the end flows down the pipeline. Returns how many were sent. */
        private int generate(Channel<Integer> numbers, int count) {
            int sent = 0;
            for (int n = 1; n <= count && sendOrQuit(numbers, n); n++) {
                sent++;
            }
            numbers.close();
            return sent;
        }

        /** Fan-out: every worker receives from the same channel, so each number goes to exactly one of them. */
        private void square(Channel<Integer> numbers, Channel<Square> output, int worker, int loop) {
            while (Select.of(Select.receive(numbers), Select.receive(quit)) instanceof Received<?> r
                    && r.channel() == numbers) {
                int n = r.valueFrom(numbers);
                if (!sendOrQuit(output, new Square(n, (long) n * n, worker, loop))) {
                    break;
                }
            }
            output.close(); // Closed(numbers) or Closed(quit): either way this stage is done
        }

        /** Fan-in: a select over the workers' channels that are still open. */
        private void merge(List<Channel<Square>> outputs) {
            List<Channel<Square>> open = new ArrayList<>(outputs);
            while (!open.isEmpty()) {
                List<Select.Case> cases = new ArrayList<>(open.stream().map(Select::receive).toList());
                cases.add(Select.receive(quit));
                switch (Select.of(cases)) {
                    case Received<?> r -> {
                        if (!sendOrQuit(merged, (Square) r.value())) {
                            open.clear();
                        }
                    }
                    case Closed(var channel) when channel == quit -> open.clear();
                    case Closed(var channel) -> open.remove(channel);
                    default -> throw new AssertionError("only receive cases");
                }
            }
            merged.close();
        }

        /** Send, unless quit closes first; false if it did. */
        private <T> boolean sendOrQuit(Channel<T> channel, T item) {
            return Select.of(Select.send(channel, item), Select.receive(quit)) instanceof Sent<?>;
        }

        /** Wait until every stage has ended; returns how many numbers the generator sent. */
        int awaitStages() {
            for (CompletableFuture<Void> worker : workers) {
                Async.await(worker);
            }
            merge.await();
            return generator.await();
        }
    }
}
