package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.DeadlineExceededException;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.scope.ChildFailedException;
import dev.weft.scope.Timeout;
import dev.weft.stream.AsyncStream;
import dev.weft.stream.Cursor;
import dev.weft.sync.Event;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

import static dev.weft.testkit.StreamChecks.assertOnlyThisTaskLeft;
import static dev.weft.testkit.StreamChecks.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The clean-up guarantee through every operator: however the consumer stops — take, a break out of a cursor loop, an
 * exception, its cancellation, a timeout around it — and however the stream ends — by take, takeWhile or zip, or by a
 * failure that retry or onErrorResume handles — every producer the stream started has run its {@code finally} (one that
 * awaits, as real clean-up does) before the consumer goes on. And a cursor pulled on a loop other than its own says so.
 */
public abstract class StreamCleanUpSuite extends LoopSuite {

    /** Producers of 0, 1, 2, ... (one a second) that count how many ran and how many finished their clean-up. */
    private static final class Tracked {
        final AtomicInteger started = new AtomicInteger();
        final AtomicInteger cleanedUp = new AtomicInteger();
        final List<String> overlaps = new ArrayList<>(); // a run that started while an earlier one was not cleaned up

        AsyncStream<Integer> endless() {
            return endless(Duration.ofSeconds(1));
        }

        /** Each item after the pause (none if zero). */
        AsyncStream<Integer> endless(Duration pause) {
            return AsyncStream.generate(emit -> {
                if (started.getAndIncrement() != cleanedUp.get()) {
                    overlaps.add("run " + started.get() + " started before the one before it had cleaned up");
                }
                try {
                    for (int i = 0; ; i++) {
                        if (!pause.isZero()) {
                            Async.sleep(pause);
                        }
                        emit.emit(i);
                    }
                } finally {
                    Tasks.shielded(() -> Async.sleep(Duration.ofMillis(1))); // clean-up that awaits
                    cleanedUp.incrementAndGet();
                }
            });
        }

        boolean allCleanedUp() {
            return started.get() > 0 && started.get() == cleanedUp.get();
        }

        String state() {
            return started + " started, " + cleanedUp + " cleaned up";
        }
    }

    /** Every operator, applied to one or two tracked endless sources. */
    private static Map<String, Function<Tracked[], AsyncStream<?>>> everyOperator() {
        Map<String, Function<Tracked[], AsyncStream<?>>> ops = new LinkedHashMap<>();
        ops.put("map", t -> t[0].endless().map(i -> i + 1));
        ops.put("filter", t -> t[0].endless().filter(i -> i >= 0));
        ops.put("drop", t -> t[0].endless().drop(1));
        ops.put("takeWhile", t -> t[0].endless().takeWhile(i -> i < 1000));
        ops.put("chunked(2)", t -> t[0].endless().chunked(2));
        ops.put("buffer", t -> t[0].endless().buffer(4));
        ops.put("mapConcurrent", t -> t[0].endless().mapConcurrent(2, i -> i));
        ops.put("mapConcurrentUnordered", t -> t[0].endless().mapConcurrentUnordered(2, i -> i));
        ops.put("flatMapMerge", t -> t[0].endless().flatMapMerge(2, i -> t[1].endless()));
        ops.put("merge", t -> AsyncStream.merge(t[0].endless(), t[1].endless()));
        ops.put("zip", t -> t[0].endless().zip(t[1].endless(), Integer::sum));
        ops.put("chunked(2, 3s)", t -> t[0].endless().chunked(2, Duration.ofSeconds(3)));
        ops.put("debounce", t -> t[0].endless().debounce(Duration.ofMillis(500)));
        ops.put("sample", t -> t[0].endless().sample(Duration.ofMillis(1500)));
        ops.put("timeout", t -> t[0].endless().timeout(Duration.ofSeconds(10)));
        ops.put("retry", t -> t[0].endless().retry(2));
        ops.put("onErrorResume", t -> t[0].endless().onErrorResume(e -> t[1].endless()));
        ops.put("onCompletion", t -> t[0].endless().onCompletion(cause -> { }));
        return ops;
    }

    /** A way for a consumer to stop early. It returns once the consumer has gone on, as far as the consumer knows. */
    @FunctionalInterface
    private interface Stop {
        void stop(AsyncStream<?> stream) throws Exception;
    }

    /**
     * Run every operator over tracked sources, stop its consumer, and check that every producer had cleaned up when the
     * consumer went on (checked by {@code check}, or right after the stop returns).
     */
    private void everyOperatorCleansUpWhen(String how, Stop stop) {
        VirtualClock.install(loop);
        run(() -> {
            List<String> leaks = new ArrayList<>();
            for (var op : everyOperator().entrySet()) {
                Tracked[] sources = {new Tracked(), new Tracked()};
                stop.stop(op.getValue().apply(sources));
                for (Tracked source : sources) {
                    if (source.started.get() > 0 && !source.allCleanedUp()) {
                        leaks.add(op.getKey() + ": " + source.state());
                    }
                }
                assertTrue(sources[0].started.get() > 0, op.getKey() + " never ran its source");
                assertOnlyThisTaskLeft(loop);
            }
            assertEquals(List.of(), leaks, "producers not cleaned up when the consumer went on after " + how);
            return null;
        });
    }

    @Test
    void takeCleansUpThroughEveryOperator() {
        everyOperatorCleansUpWhen("take(2)", stream -> assertEquals(2, stream.take(2).toList().size()));
    }

    @Test
    void breakingOutOfACursorLoopCleansUpThroughEveryOperator() {
        everyOperatorCleansUpWhen("a break", stream -> {
            int seen = 0;
            try (Cursor<?> items = stream.open()) {
                while (items.hasNext()) {
                    items.next();
                    if (++seen == 2) {
                        break;
                    }
                }
            }
        });
    }

    @Test
    void anExceptionInTheConsumerCleansUpThroughEveryOperator() {
        everyOperatorCleansUpWhen("an exception", stream -> assertThrows(IllegalStateException.class,
                () -> stream.forEach(item -> {
                    throw new IllegalStateException("consumer failed");
                })));
    }

    @Test
    void aTimeoutAroundTheConsumerCleansUpThroughEveryOperator() {
        everyOperatorCleansUpWhen("a timeout", stream -> assertThrows(DeadlineExceededException.class,
                () -> Timeout.after(Duration.ofMillis(4500), () -> stream.forEach(item -> { }))));
    }

    @Test
    void cancellingTheConsumerCleansUpThroughEveryOperatorBeforeItsFinallyRuns() {
        Map<String, Function<Tracked[], AsyncStream<?>>> ops = everyOperator();
        VirtualClock.install(loop);
        run(() -> {
            List<String> leaks = new ArrayList<>();
            for (var op : ops.entrySet()) {
                Tracked[] sources = {new Tracked(), new Tracked()};
                AsyncStream<?> stream = op.getValue().apply(sources);
                Event gotOne = new Event();
                AtomicBoolean cleanInFinally = new AtomicBoolean();
                Task<Void> consumer = Tasks.spawn(() -> {
                    try {
                        stream.forEach(item -> gotOne.set());
                    } finally {
                        cleanInFinally.set(sources[0].allCleanedUp()
                                && (sources[1].started.get() == 0 || sources[1].allCleanedUp()));
                    }
                });
                gotOne.await();
                consumer.cancel();
                assertThrows(CancellationException.class, consumer::await);
                if (!cleanInFinally.get()) {
                    leaks.add(op.getKey() + ": " + sources[0].state() + "; " + sources[1].state());
                }
                assertOnlyThisTaskLeft(loop);
            }
            assertEquals(List.of(), leaks, "producers still running when the cancelled consumer's finally ran");
            return null;
        });
    }

    // ---- a stream that ends by itself closes its upstream before it says so

    /** take, takeWhile and zip end a stream whose upstream could go on: it is cleaned up before hasNext() says so. */
    @Test
    void aStreamEndedByTakeTakeWhileOrZipHasCleanedUpItsProducersWhenHasNextSaysSo() {
        VirtualClock.install(loop);
        Map<String, Function<Tracked, AsyncStream<?>>> enders = new LinkedHashMap<>();
        enders.put("take", t -> t.endless().take(2));
        enders.put("takeWhile", t -> t.endless().takeWhile(i -> i < 2));
        enders.put("zip (left ends)", t -> AsyncStream.of(1, 2).zip(t.endless(), Integer::sum));
        enders.put("zip (right ends)", t -> t.endless().zip(AsyncStream.of(1, 2), Integer::sum));
        enders.put("take inside mapConcurrent", t -> t.endless().take(2).mapConcurrent(2, i -> i));
        run(() -> {
            List<String> leaks = new ArrayList<>();
            for (var ender : enders.entrySet()) {
                Tracked source = new Tracked();
                try (Cursor<?> items = ender.getValue().apply(source).open()) {
                    int seen = 0;
                    while (items.hasNext()) {
                        items.next();
                        seen++;
                    }
                    assertEquals(2, seen, ender.getKey());
                    if (!source.allCleanedUp()) {
                        leaks.add(ender.getKey() + ": " + source.state());
                    }
                }
                assertOnlyThisTaskLeft(loop);
            }
            assertEquals(List.of(), leaks, "producers still running after the stream ended");
            return null;
        });
    }

    // ---- failures: the failed run is cleaned up before anything else starts

    @Test
    void retryAndOnErrorResumeCleanUpTheFailedRunBeforeStartingTheNext() {
        VirtualClock.install(loop);
        run(() -> {
            Tracked source = new Tracked();
            // the failure comes from the consumer's task while the producer runs on: it must be closed before the rerun
            AsyncStream<Integer> failsAtTwo = source.endless().map(i -> {
                if (i == 2) {
                    throw new IllegalStateException("two");
                }
                return i;
            });
            assertEquals(List.of(0, 1, 0, 1, 0, 1), failsAtTwo.retry(2).onErrorResume(e -> AsyncStream.empty())
                    .toList());
            assertEquals(List.of(0, 1, 0, 1), failsAtTwo.onErrorResume(e -> source.endless().take(2)).toList());
            assertEquals(List.of(), source.overlaps);
            assertTrue(source.allCleanedUp(), source.state());
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void whenOneSourceOfMergeOrZipFailsTheOthersAreCleanedUpBeforeTheFailureArrives() {
        VirtualClock.install(loop);
        run(() -> {
            AsyncStream<Integer> failing = AsyncStream.generate(emit -> {
                emit.emit(0);
                Async.sleep(Duration.ofSeconds(3));
                throw new IllegalStateException("source failed");
            });
            for (var combine : List.<Function<Tracked, AsyncStream<Integer>>>of(
                    t -> AsyncStream.merge(t.endless(), failing),
                    t -> failing.zip(t.endless(), Integer::sum),
                    t -> t.endless().zip(failing, Integer::sum))) {
                Tracked other = new Tracked();
                assertThrows(IllegalStateException.class, () -> combine.apply(other).forEach(item -> { }));
                assertTrue(other.allCleanedUp(), other.state());
                assertOnlyThisTaskLeft(loop);
            }
            return null;
        });
    }

    private static void cleanUpFails(RuntimeException failure) {
        throw failure;
    }

    /** Each side of a zip whose clean-up throws after its cancellation: close() throws the first, the second on it. */
    @Test
    void whenBothSidesOfAZipFailToCleanUpNeitherFailureIsLost() {
        IllegalStateException leftBroke = new IllegalStateException("left clean-up");
        IllegalStateException rightBroke = new IllegalStateException("right clean-up");
        run(() -> {
            List<AsyncStream<Integer>> sides = new ArrayList<>();
            for (IllegalStateException broke : List.of(leftBroke, rightBroke)) {
                sides.add(AsyncStream.generate(emit -> {
                    try {
                        for (int i = 0; ; i++) {
                            emit.emit(i);
                        }
                    } finally {
                        cleanUpFails(broke);
                    }
                }));
            }
            var e = assertThrows(ChildFailedException.class,
                    () -> sides.get(0).zip(sides.get(1), Integer::sum).first());
            assertSame(leftBroke, e.getCause());
            assertEquals(1, e.getSuppressed().length, List.of(e.getSuppressed()).toString());
            assertSame(rightBroke, e.getSuppressed()[0].getCause());
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    // ---- across loops

    /**
     * A stream may be opened anywhere and is bound to nothing until its first pull; a cursor's tasks and waits then
     * belong to the loop of the task that pulled it, and a pull from another loop is refused, naming the stream.
     */
    @Test
    void aCursorPulledOnAnotherLoopThanItsOwnIsRefusedNamingTheStream() throws Exception {
        try (LoopGroup group = LoopGroup.open(2, this::openLoop)) {
            var home = group.loops().get(0);
            var away = group.loops().get(1);
            Tracked source = new Tracked();
            for (AsyncStream<Integer> stream : List.of(source.endless(Duration.ZERO),
                    AsyncStream.fromPublisher(AsyncStream.fromIterable(range(0, 100)).toPublisher(away), 1))) {
                Cursor<Integer> cursor = stream.open(); // opened here, on no loop: nothing is bound yet
                String refused = home.submit(() -> {
                    try (cursor) {
                        assertTrue(cursor.hasNext());
                        cursor.next();
                        Throwable e = assertThrows(RuntimeException.class,
                                () -> Async.await(away.submit(() -> cursor.hasNext())));
                        assertTrue(cursor.hasNext(), "the cursor still works on its own loop");
                        return String.valueOf(e instanceof CompletionException && e.getCause() != null
                                ? e.getCause() : e);
                    }
                }).get();
                assertTrue(refused.contains("InvalidStateException") && refused.contains("pulled on the loop"),
                        refused);
            }
            assertTrue(source.allCleanedUp(), source.state());
        }
    }
}
