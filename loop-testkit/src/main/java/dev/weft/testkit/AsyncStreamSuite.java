package dev.weft.testkit;

import dev.weft.channel.Channel;
import dev.weft.loop.Async;
import dev.weft.loop.DeadlineExceededException;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.net.NetworkLoop;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;
import dev.weft.stream.AsyncStream;
import dev.weft.stream.Cursor;
import dev.weft.sync.Event;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.logging.Level;

import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static dev.weft.testkit.StreamTests.ascii;
import static java.nio.charset.StandardCharsets.UTF_8;
import static dev.weft.testkit.StreamChecks.assertOnlyThisTaskLeft;
import static dev.weft.testkit.StreamChecks.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * {@link AsyncStream}: cold sources, the operators, the clean-up guarantee (the producer's {@code finally} runs on its
 * own task before the consumer goes on: cpython#88684 cannot happen), backpressure, the concurrent and the timed
 * operators on virtual time, failures by the exception rule, bad input. Every test ends with no task of it alive.
 */
public abstract class AsyncStreamSuite extends LoopSuite {

    /** Items 0, 1, 2, ... for ever, each emitted after the pause (none if zero). */
    private static AsyncStream<Integer> counting(Duration pause) {
        return AsyncStream.generate(emit -> {
            for (int i = 0; ; i++) {
                if (!pause.isZero()) {
                    Async.sleep(pause);
                }
                emit.emit(i);
            }
        });
    }

    // ---- cold, and the synchronous operators

    @Test
    void aStreamIsColdAndEachPassRunsItAgain() {
        AtomicInteger runs = new AtomicInteger();
        List<List<Integer>> passes = run(() -> {
            AsyncStream<Integer> stream = AsyncStream.<Integer>generate(emit -> {
                runs.incrementAndGet();
                emit.emit(1);
                emit.emit(2);
            }).map(i -> i * 10);
            Async.sleep(Duration.ZERO);
            assertEquals(0, runs.get(), "building a pipeline ran the generator");
            try (Cursor<Integer> unpulled = stream.open()) {
                Async.sleep(Duration.ZERO);
                assertEquals(0, runs.get(), "opening without pulling ran the generator");
            }
            List<List<Integer>> both = List.of(stream.toList(), stream.toList());
            assertOnlyThisTaskLeft(loop);
            return both;
        });
        assertEquals(List.of(List.of(10, 20), List.of(10, 20)), passes);
        assertEquals(2, runs.get());
    }

    @Test
    void theSynchronousOperatorsComposeInOrder() {
        run(() -> {
            AsyncStream<Integer> numbers = AsyncStream.fromIterable(range(0, 20));
            assertEquals(List.of(4, 8, 12), numbers.map(i -> i * 2).filter(i -> i % 4 == 0).drop(1).take(3).toList());
            assertEquals(List.of(0, 1, 2), numbers.takeWhile(i -> i < 3).toList());
            assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4)), numbers.take(5).chunked(3).toList());
            assertEquals(List.of("a0", "b1"), AsyncStream.of("a", "b", "c").zip(numbers, (s, i) -> s + i).take(2).toList());
            assertEquals(190, numbers.reduce(0, Integer::sum));
            assertEquals(20, numbers.count());
            assertEquals(0, numbers.first());
            assertEquals(List.of(), AsyncStream.empty().toList());
            assertEquals(List.of(), numbers.take(0).toList());
            return null;
        });
    }

    @Test
    void forEachRunsTheActionInTheConsumersTaskAndThrowsItsCheckedExceptionAsItself() {
        IOException thrown = new IOException("disk full");
        run(() -> {
            Task<?> consumer = Tasks.current().orElseThrow();
            List<Integer> seen = new ArrayList<>();
            var e = assertThrows(IOException.class, () -> counting(Duration.ZERO).forEach(i -> {
                assertSame(consumer, Tasks.current().orElseThrow());
                seen.add(i);
                if (i == 2) {
                    throw thrown;
                }
            }));
            assertSame(thrown, e);
            assertEquals(List.of(0, 1, 2), seen);
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void aChannelGivesItsItemsUntilClosedAndDrainedAndAnEarlyStopLeavesTheRestInIt() throws InterruptedException {
        Channel<Integer> channel = Channel.<Integer>buffered(4).named("numbers");
        Thread sender = Thread.ofPlatform().name("sender").start(() -> { // a foreign thread: its sends block it
            for (int i = 0; i < 10; i++) {
                channel.send(i);
            }
            channel.close();
        });
        List<List<Integer>> passes = run(() -> {
            List<Integer> first = AsyncStream.fromChannel(channel).take(3).toList();
            assertFalse(channel.isClosed(), "a consumer that stopped early closed the shared channel");
            List<List<Integer>> both = List.of(first, AsyncStream.fromChannel(channel).toList());
            assertOnlyThisTaskLeft(loop);
            return both;
        });
        assertEquals(List.of(List.of(0, 1, 2), List.of(3, 4, 5, 6, 7, 8, 9)), passes, "an item was lost or taken twice");
        sender.join(Duration.ofSeconds(5));
        assertFalse(sender.isAlive());
    }

    // ---- clean-up: cpython#88684 must be impossible

    /**
     * The producer's finally runs in the producer's own task, on the loop, and has finished by the time the consumer's
     * take(3).toList() returns.
     */
    @Test
    void anEarlyStopRunsTheProducersFinallyOnItsOwnTaskBeforeTheConsumerGoesOn() {
        run(() -> {
            Task<?> consumer = Tasks.current().orElseThrow();
            List<Object> producer = new ArrayList<>();
            List<Object> cleanedUpIn = new ArrayList<>();
            AsyncStream<Integer> stream = AsyncStream.generate(emit -> {
                producer.add(Tasks.current().orElseThrow());
                try {
                    for (int i = 0; ; i++) {
                        emit.emit(i);
                    }
                } finally {
                    Tasks.shielded(() -> Async.sleep(Duration.ofMillis(1))); // clean-up that awaits, too
                    cleanedUpIn.add(Tasks.current().orElseThrow());
                    cleanedUpIn.add(loop.inLoop());
                    cleanedUpIn.add(Thread.currentThread());
                }
            });
            assertEquals(List.of(0, 1, 2), stream.take(3).toList());
            assertEquals(3, cleanedUpIn.size(), "the producer's finally had not finished when toList() returned");
            assertSame(producer.getFirst(), cleanedUpIn.get(0), "finally ran in another task than the producer");
            assertNotSame(consumer, cleanedUpIn.get(0));
            assertEquals(true, cleanedUpIn.get(1), "finally ran off the producer's loop");
            assertNotSame(Thread.currentThread(), cleanedUpIn.get(2));
            assertTrue(((Task<?>) producer.getFirst()).isCancelled(), "the producer was cancelled");
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void breakingOutOfACursorAndAnExceptionInTheConsumerCleanUpTheProducerToo() {
        run(() -> {
            AtomicInteger cleanUps = new AtomicInteger();
            AsyncStream<Integer> stream = AsyncStream.generate(emit -> {
                try {
                    for (int i = 0; ; i++) {
                        emit.emit(i);
                    }
                } finally {
                    cleanUps.incrementAndGet();
                }
            });
            try (Cursor<Integer> items = stream.open()) {
                while (items.hasNext()) {
                    if (items.next() == 5) {
                        break;
                    }
                }
            }
            assertEquals(1, cleanUps.get(), "after break");
            assertThrows(IllegalStateException.class, () -> stream.forEach(i -> {
                throw new IllegalStateException("consumer failed");
            }));
            assertEquals(2, cleanUps.get(), "after the consumer threw");
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void aCancelledConsumerCancelsItsProducerWhichCleansUpBeforeTheConsumerEnds() {
        run(() -> {
            List<String> order = new ArrayList<>();
            Event gotOne = new Event();
            AsyncStream<Integer> slow = AsyncStream.generate(emit -> {
                try {
                    emit.emit(1);
                    Async.sleep(NEVER);
                } finally {
                    order.add("producer finally");
                }
            });
            Task<Void> consumer = Tasks.spawn(() -> {
                try {
                    slow.forEach(i -> {
                        order.add("got " + i);
                        gotOne.set();
                    });
                } finally {
                    order.add("consumer finally");
                }
            });
            gotOne.await();
            consumer.cancel();
            assertThrows(CancellationException.class, consumer::await);
            assertEquals(List.of("got 1", "producer finally", "consumer finally"), order);
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    /**
     * A generator that swallows its cancellation and goes on is waited for (structured): the consumer goes on only
     * once it has ended, here after ten (virtual) seconds of shielded clean-up; past the grace period (5 s) a WARNING
     * names the producer and where it is stuck.
     */
    @Test
    void aGeneratorThatIgnoresCancellationIsWaitedForUntilItEndsAndNamedAfterTheGracePeriod() {
        VirtualClock.install(loop);
        try (LogCapture logs = LogCapture.of("dev.weft.scope")) {
            run(() -> {
                List<String> steps = new ArrayList<>();
                AsyncStream<Integer> stubborn = AsyncStream.generate(1, emit -> {
                    for (int i = 0; i < 100; i++) {
                        try {
                            emit.emit(i);
                        } catch (CancellationException ignored) {
                            steps.add("swallowed");
                            Tasks.shielded(() -> Async.sleep(Duration.ofSeconds(10)));
                            steps.add("ended");
                            return;
                        }
                    }
                });
                long start = loop.time();
                assertEquals(List.of(0), stubborn.take(1).toList());
                assertEquals(List.of("swallowed", "ended"), steps, "the consumer went on before the producer ended");
                assertEquals(Duration.ofSeconds(10).toNanos(), loop.time() - start);
                assertOnlyThisTaskLeft(loop);
                return null;
            });
            List<String> warnings = logs.records(r -> r.getLevel() == Level.WARNING).stream().map(LogCapture::text)
                    .toList();
            assertEquals(1, warnings.size(), warnings.toString());
            assertTrue(warnings.getFirst().contains("cancelled task 'AsyncStream.generate'"), warnings.getFirst());
        }
    }

    // ---- backpressure and failures

    @Test
    void emitSuspendsTheProducerWhileTheBufferIsFull() {
        run(() -> {
            AtomicInteger emitted = new AtomicInteger();
            AsyncStream<Integer> stream = AsyncStream.generate(2, emit -> {
                for (int i = 0; i < 10; i++) {
                    emit.emit(i);
                    emitted.incrementAndGet();
                }
            });
            try (Cursor<Integer> items = stream.open()) {
                for (int taken = 1; taken <= 10; taken++) {
                    assertEquals(taken - 1, items.next());
                    for (int turn = 0; turn < 5; turn++) {
                        Async.sleep(Duration.ZERO); // let the producer run as far as it can
                    }
                    assertEquals(Math.min(10, taken + 2), emitted.get(), "emitted ahead after taking " + taken);
                }
                assertFalse(items.hasNext());
            }
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void aGeneratorsFailureComesAfterItsItemsUncheckedAsItselfCheckedWrapped() {
        IllegalStateException unchecked = new IllegalStateException("boom");
        IOException checked = new IOException("gone");
        run(() -> {
            List<Integer> seen = new ArrayList<>();
            var e = assertThrows(IllegalStateException.class, () -> AsyncStream.<Integer>generate(emit -> {
                emit.emit(1);
                emit.emit(2);
                throw unchecked;
            }).forEach(seen::add));
            assertSame(unchecked, e);
            assertEquals(List.of(1, 2), seen);
            var wrapped = assertThrows(CompletionException.class, () -> AsyncStream.<Integer>generate(emit -> {
                throw checked;
            }).toList());
            assertSame(checked, wrapped.getCause());
            var mapped = assertThrows(CompletionException.class, () -> AsyncStream.of(1).map(i -> {
                throw checked;
            }).toList());
            assertSame(checked, mapped.getCause());
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void onErrorResumeRetryAndOnCompletionSeeHowTheStreamEnds() {
        run(() -> {
            IOException failure = new IOException("flaky");
            AtomicInteger opens = new AtomicInteger();
            AsyncStream<Integer> flaky = AsyncStream.generate(emit -> {
                int pass = opens.incrementAndGet();
                emit.emit(pass);
                if (pass < 3) {
                    throw failure;
                }
            });
            List<Throwable> handled = new ArrayList<>();
            assertEquals(List.of(1, 9), flaky.onErrorResume(e -> {
                handled.add(e);
                return AsyncStream.of(9);
            }).toList());
            assertEquals(List.of(failure), handled, "the handler gets the original failure");
            opens.set(0);
            assertEquals(List.of(1, 2, 3), flaky.retry(2).toList());
            opens.set(0);
            var e = assertThrows(CompletionException.class, () -> flaky.retry(1).toList());
            assertSame(failure, e.getCause());
            assertEquals(2, opens.get());

            List<Object> ends = new ArrayList<>();
            AsyncStream.of(1, 2).onCompletion(cause -> ends.add(String.valueOf(cause))).toList();
            opens.set(0);
            assertThrows(CompletionException.class, () -> flaky.onCompletion(ends::add).toList());
            counting(Duration.ZERO).onCompletion(ends::add).take(2).toList();
            assertEquals("null", ends.get(0));
            assertSame(failure, ((CompletionException) ends.get(1)).getCause());
            assertInstanceOf(CancellationException.class, ends.get(2));
            assertEquals(3, ends.size());
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    // ---- concurrency

    @Test
    void mapConcurrentKeepsTheOrderAndNeverRunsMoreThanTheLimit() {
        VirtualClock.install(loop);
        run(() -> {
            AtomicInteger running = new AtomicInteger();
            AtomicInteger most = new AtomicInteger();
            long start = loop.time();
            List<Integer> out = AsyncStream.fromIterable(range(1, 9)).mapConcurrent(3, i -> {
                most.accumulateAndGet(running.incrementAndGet(), Math::max);
                try {
                    Async.sleep(Duration.ofSeconds(9 - i)); // later items finish sooner
                    return i * 10;
                } finally {
                    running.decrementAndGet();
                }
            }).toList();
            assertEquals(List.of(10, 20, 30, 40, 50, 60, 70, 80), out);
            assertEquals(3, most.get());
            assertTrue(loop.time() - start < Duration.ofSeconds(8 + 7 + 6 + 5 + 4 + 3 + 2 + 1).toNanos(),
                    "it did not run concurrently");
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void mapConcurrentUnorderedPassesResultsAsTheyComeAndFlatMapMergeAndMergeInterleave() {
        VirtualClock.install(loop);
        run(() -> {
            assertEquals(List.of(3, 2, 1), AsyncStream.of(1, 2, 3).mapConcurrentUnordered(3, i -> {
                Async.sleep(Duration.ofSeconds(10 - i));
                return i;
            }).toList());
            AsyncStream<String> ticks = AsyncStream.of("a", "b").flatMapMerge(2, name -> AsyncStream.generate(emit -> {
                for (int i = 0; i < 3; i++) {
                    Async.sleep(Duration.ofSeconds(name.equals("a") ? 2 : 3)); // a at 2, 4, 6; b at 3, 6, 9
                    emit.emit(name + i);
                }
            }));
            List<String> merged = ticks.toList();
            assertEquals(List.of("a0", "b0", "a1"), merged.subList(0, 3));
            assertEquals(Set.of("a2", "b1"), Set.copyOf(merged.subList(3, 5)), "both at 6 s");
            assertEquals("b2", merged.get(5));
            AsyncStream<String> fast = AsyncStream.generate(emit -> {
                Async.sleep(Duration.ofSeconds(1));
                emit.emit("fast");
            });
            AsyncStream<String> slow = AsyncStream.generate(emit -> {
                Async.sleep(Duration.ofSeconds(2));
                emit.emit("slow");
            });
            assertEquals(List.of("fast", "slow"), AsyncStream.merge(slow, fast).toList());
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void aFailureInOneConcurrentTaskCancelsTheRestAndReachesTheConsumer() {
        VirtualClock.install(loop);
        run(() -> {
            List<Integer> cancelled = new ArrayList<>();
            long start = loop.time();
            var e = assertThrows(IllegalStateException.class, () -> AsyncStream.fromIterable(range(0, 4))
                    .mapConcurrent(4, i -> {
                        if (i == 2) {
                            Async.sleep(Duration.ofSeconds(1));
                            throw new IllegalStateException("item 2 failed");
                        }
                        try {
                            Async.sleep(Duration.ofSeconds(100));
                            return i;
                        } catch (CancellationException c) {
                            cancelled.add(i);
                            throw c;
                        }
                    }).toList());
            assertEquals("item 2 failed", e.getMessage());
            assertEquals(List.of(0, 1, 3), cancelled.stream().sorted().toList());
            assertEquals(Duration.ofSeconds(1).toNanos(), loop.time() - start, "the others were waited out");
            assertThrows(IllegalStateException.class, () -> AsyncStream.of(1, 2).flatMapMerge(2, i -> i == 1
                    ? AsyncStream.generate(emit -> Async.sleep(NEVER))
                    : AsyncStream.generate(emit -> {
                        throw new IllegalStateException("inner failed");
                    })).toList());
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void cancellingTheConsumerOfAConcurrentStreamEndsEveryWorkerBeforeTheConsumerEnds() {
        run(() -> {
            List<Integer> started = new ArrayList<>();
            List<Integer> cleanedUp = new ArrayList<>();
            Event allStarted = new Event();
            Task<Void> consumer = Tasks.spawn(() -> {
                try {
                    AsyncStream.fromIterable(range(0, 10)).mapConcurrent(4, i -> {
                        started.add(i);
                        if (started.size() == 4) {
                            allStarted.set();
                        }
                        try {
                            Async.sleep(NEVER);
                            return i;
                        } finally {
                            cleanedUp.add(i);
                        }
                    }).toList();
                } finally {
                    assertEquals(List.of(0, 1, 2, 3), cleanedUp.stream().sorted().toList(), "workers still running");
                }
            });
            allStarted.await();
            consumer.cancel();
            assertThrows(CancellationException.class, consumer::await);
            assertEquals(List.of(0, 1, 2, 3), started, "more than the limit started");
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    // ---- time, on the virtual clock

    /** Emit each item at its second on the loop's clock (counted from the first pull), then end. */
    private AsyncStream<String> at(double... seconds) {
        return AsyncStream.generate(emit -> {
            long start = loop.time();
            for (double s : seconds) {
                long due = start + (long) (s * 1e9);
                Async.sleep(Duration.ofNanos(Math.max(0, due - loop.time())));
                emit.emit(String.valueOf(s));
            }
        });
    }

    @Test
    void timedOperatorsFollowTheLoopsClock() {
        VirtualClock.install(loop);
        run(() -> {
            assertEquals(List.of(List.of("0.0", "1.0", "2.0"), List.of("5.0", "6.0")),
                    at(0, 1, 2, 5, 6).chunked(Duration.ofSeconds(3)).toList());
            assertEquals(List.of(List.of("0.0", "1.0"), List.of("2.0"), List.of("5.0", "6.0")),
                    at(0, 1, 2, 5, 6).chunked(2, Duration.ofSeconds(3)).toList());
            assertEquals(List.of("0.8", "3.2"), at(0, 0.5, 0.8, 3, 3.2).debounce(Duration.ofSeconds(1)).toList());
            assertEquals(List.of("0.9", "1.8"), at(0.3, 0.6, 0.9, 1.2, 1.5, 1.8, 2.1, 2.4, 2.7)
                    .sample(Duration.ofSeconds(1)).toList());
            List<String> before = new ArrayList<>();
            long start = loop.time();
            var e = assertThrows(DeadlineExceededException.class,
                    () -> at(1, 2, 10).timeout(Duration.ofSeconds(3)).forEach(before::add));
            assertTrue(e.getMessage().contains("PT3S"), e.getMessage());
            assertEquals(List.of("1.0", "2.0"), before);
            assertEquals(Duration.ofSeconds(5).toNanos(), loop.time() - start);
            assertEquals(List.of("1.0", "2.0"), at(1, 2).timeout(Duration.ofSeconds(3)).toList());
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void bufferRunsTheUpstreamAheadInATaskOfItsOwn() {
        run(() -> {
            Task<?> consumer = Tasks.current().orElseThrow();
            List<Task<?>> mappedIn = new ArrayList<>();
            List<Integer> out = AsyncStream.of(1, 2, 3).map(i -> {
                mappedIn.add(Tasks.current().orElseThrow());
                return i;
            }).buffer(2).toList();
            assertEquals(List.of(1, 2, 3), out);
            assertNotSame(consumer, mappedIn.getFirst(), "buffer's upstream ran in the consumer's task");
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    // ---- a connection's bytes

    @Test
    void chunksAndLinesOfAConnection() {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
        String text = "alpha\nbeta\r\ngamma";
        run(() -> {
            StreamServer server = Streams.startServer((reader, writer) -> writer.write(ascii(text)), LOCALHOST, 0);
            try {
                try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port(), SocketOptions.DEFAULTS)) {
                    assertEquals(List.of("alpha", "beta", "gamma"), AsyncStream.lines(c.reader()).toList());
                }
                try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port(), SocketOptions.DEFAULTS)) {
                    ByteArrayOutputStream all = new ByteArrayOutputStream();
                    AsyncStream.fromReader(c.reader(), 4).forEach(chunk -> {
                        assertTrue(chunk.length <= 4 && chunk.length > 0);
                        all.write(chunk);
                    });
                    assertEquals(text, all.toString(UTF_8));
                }
            } finally {
                server.close();
                server.awaitClosed();
            }
            return null;
        });
    }

    // ---- bad input

    @Test
    void badInputIsRefusedNamingTheCause() {
        AsyncStream<Integer> s = AsyncStream.of(1);
        for (var call : List.<Runnable>of(() -> s.take(-1), () -> s.drop(-1), () -> s.buffer(0), () -> s.chunked(0),
                () -> s.mapConcurrent(0, i -> i), () -> s.flatMapMerge(0, AsyncStream::of), () -> s.retry(-1),
                () -> AsyncStream.generate(0, emit -> { }), () -> s.timeout(Duration.ZERO),
                () -> s.debounce(Duration.ofSeconds(-1)), () -> AsyncStream.fromPublisher(sub -> { }, 0))) {
            var e = assertThrows(IllegalArgumentException.class, call::run);
            assertTrue(e.getMessage().matches(".*(must be|got).*"), e.getMessage());
        }
        var outside = assertThrows(InvalidStateException.class, () -> AsyncStream.generate(emit -> emit.emit(1)).toList());
        assertTrue(outside.getMessage().contains("inside a task"), outside.getMessage());
        run(() -> {
            var nullItem = assertThrows(NullPointerException.class,
                    () -> AsyncStream.<String>generate(emit -> emit.emit(null)).toList());
            assertTrue(nullItem.getMessage().contains("null items"), nullItem.getMessage());
            assertThrows(NullPointerException.class, () -> AsyncStream.of(1, null).toList());
            assertThrows(NullPointerException.class, () -> AsyncStream.of(1).map(i -> null).toList());
            assertThrows(NoSuchElementException.class, () -> AsyncStream.empty().first());
            var nullFallback = assertThrows(NullPointerException.class, () -> AsyncStream.<Integer>generate(emit -> {
                throw new IllegalStateException("failed");
            }).onErrorResume(e -> null).toList());
            assertTrue(nullFallback.getMessage().contains("onErrorResume"), nullFallback.getMessage());
            try (Cursor<Integer> c = AsyncStream.of(1).open()) {
                c.next();
                assertThrows(NoSuchElementException.class, c::next);
            }
            Cursor<Integer> closed = counting(Duration.ZERO).open();
            assertTrue(closed.hasNext());
            closed.close();
            closed.close();
            assertFalse(closed.hasNext(), "hasNext() after close()");
            Cursor<Integer> owned = counting(Duration.ZERO).open();
            assertTrue(owned.hasNext());
            var wrongTask = assertThrows(InvalidStateException.class, () -> Tasks.spawn(owned::close).await());
            assertTrue(wrongTask.getMessage().contains("in the task that first pulled it"), wrongTask.getMessage());
            owned.close();
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }
}
