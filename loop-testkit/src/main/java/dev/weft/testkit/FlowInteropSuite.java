package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopClosedException;
import dev.weft.loop.Tasks;
import dev.weft.stream.AsyncStream;
import dev.weft.sync.Event;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.Flow;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.SubmissionPublisher;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import static dev.weft.testkit.StreamChecks.assertOnlyThisTaskLeft;
import static dev.weft.testkit.StreamChecks.range;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * {@code java.util.concurrent.Flow} both ways: {@link AsyncStream#fromPublisher} against the JDK's
 * {@link SubmissionPublisher} and a publisher that records what it was asked for; {@link AsyncStream#toPublisher}
 * against subscribers that request one at a time from a foreign thread, cancel midway, request 0 or a negative number
 * (Reactive Streams §3.9), and subscribe twice.
 */
public abstract class FlowInteropSuite extends LoopSuite {

    // ---- fromPublisher

    @Test
    void aSubmissionPublishersItemsArriveInOrderWithItsBackpressure() {
        List<Integer> got = run(() -> {
            SubmissionPublisher<Integer> publisher = new SubmissionPublisher<>(Runnable::run, 4); // tiny buffer
            CompletableFuture<Void> subscribed = new CompletableFuture<>();
            Flow.Publisher<Integer> announcing = subscriber -> {
                publisher.subscribe(subscriber);
                subscribed.complete(null);
            };
            var feeder = onForeignThread(() -> {
                subscribed.join();
                for (int i = 0; i < 1000; i++) {
                    publisher.submit(i); // blocks while the subscriber's buffer is full
                }
                publisher.close();
                return null;
            });
            List<Integer> items = AsyncStream.fromPublisher(announcing, 8).toList();
            Async.await(feeder.result());
            return items;
        });
        assertEquals(range(0, 1000), got);
    }

    /** Emits 0, 1, 2, ... on the requesting thread, as many as asked for, and records the requests. */
    private static final class CountingPublisher implements Flow.Publisher<Integer> {
        final List<Long> requests = new ArrayList<>();
        final AtomicLong requested = new AtomicLong();
        final AtomicBoolean cancelled = new AtomicBoolean();
        int next;

        @Override
        public void subscribe(Flow.Subscriber<? super Integer> subscriber) {
            subscriber.onSubscribe(new Flow.Subscription() {
                @Override
                public void request(long n) {
                    requests.add(n);
                    requested.addAndGet(n);
                    for (long i = 0; i < n && !cancelled.get(); i++) {
                        subscriber.onNext(next++);
                    }
                }

                @Override
                public void cancel() {
                    cancelled.set(true);
                }
            });
        }
    }

    @Test
    void fromPublisherRequestsInBatchesNeverHoldingMoreThanItsPrefetchAndCancelsWhenClosed() {
        run(() -> {
            CountingPublisher publisher = new CountingPublisher();
            AtomicInteger taken = new AtomicInteger();
            AtomicLong mostOutstanding = new AtomicLong();
            List<Integer> items = AsyncStream.fromPublisher(publisher, 8).map(i -> {
                // requested, less what the cursor has handed out (this item included): what it may still be sent
                mostOutstanding.accumulateAndGet(publisher.requested.get() - taken.incrementAndGet(), Math::max);
                return i;
            }).take(100).toList();
            assertEquals(range(0, 100), items);
            assertTrue(mostOutstanding.get() <= 8, "held " + mostOutstanding.get() + " items beyond what was taken");
            assertEquals(8L, publisher.requests.getFirst());
            assertTrue(publisher.requests.stream().skip(1).allMatch(n -> n == 4), "batches: " + publisher.requests);
            assertTrue(publisher.cancelled.get(), "closing the stream cancels the subscription");
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void aPublishersErrorFailsTheStreamAfterItsItems() {
        IOException failure = new IOException("upstream broke");
        run(() -> {
            Flow.Publisher<Integer> failing = subscriber -> subscriber.onSubscribe(new Flow.Subscription() {
                boolean done;

                @Override
                public void request(long n) {
                    if (!done) {
                        done = true;
                        subscriber.onNext(1);
                        subscriber.onError(failure);
                    }
                }

                @Override
                public void cancel() {
                }
            });
            List<Integer> seen = new ArrayList<>();
            var e = assertThrows(CompletionException.class, () -> AsyncStream.fromPublisher(failing).forEach(seen::add));
            assertSame(failure, e.getCause());
            assertEquals(List.of(1), seen);
            return null;
        });
    }

    // ---- toPublisher

    /** A subscriber that a foreign thread drives: every signal is queued for that thread to take. */
    private final class Recorder implements Flow.Subscriber<Integer> {
        final CompletableFuture<Flow.Subscription> subscription = new CompletableFuture<>();
        final LinkedBlockingQueue<Object> signals = new LinkedBlockingQueue<>();
        final AtomicLong requested = new AtomicLong();
        final AtomicLong received = new AtomicLong();
        final AtomicInteger terminals = new AtomicInteger();
        final List<String> violations = new ArrayList<>();

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription.complete(s);
        }

        @Override
        public void onNext(Integer item) {
            if (received.incrementAndGet() > requested.get()) {
                violations.add("onNext(" + item + ") beyond the " + requested.get() + " requested");
            }
            if (terminals.get() > 0) {
                violations.add("onNext after a terminal signal");
            }
            if (!loop.inLoop()) {
                violations.add("onNext off the loop");
            }
            signals.add(item);
        }

        @Override
        public void onError(Throwable failure) {
            terminals.incrementAndGet();
            signals.add(failure);
        }

        @Override
        public void onComplete() {
            terminals.incrementAndGet();
            signals.add("complete");
        }

        void request(long n) {
            requested.addAndGet(Math.max(0, n));
            subscription.join().request(n);
        }

        Object take() throws InterruptedException {
            Object signal = signals.poll(PATIENCE.toSeconds(), TimeUnit.SECONDS);
            if (signal == null) {
                fail("no signal within " + PATIENCE);
            }
            return signal;
        }
    }

    @Test
    void aSubscriberRequestingOneAtATimeFromAnotherThreadGetsEveryItemAndOneCompletion() {
        run(() -> {
            Recorder recorder = new Recorder();
            var driver = onForeignThread(() -> {
                AsyncStream.fromIterable(range(0, 50)).toPublisher(loop).subscribe(recorder);
                List<Object> got = new ArrayList<>();
                while (true) {
                    recorder.request(1);
                    Object signal = recorder.take();
                    got.add(signal);
                    if (!(signal instanceof Integer)) {
                        return got;
                    }
                }
            });
            List<Object> got = Async.await(driver.result());
            List<Object> expected = new ArrayList<>(range(0, 50));
            expected.add("complete");
            assertEquals(expected, got);
            assertEquals(List.of(), recorder.violations);
            assertEquals(1, recorder.terminals.get());
            return null;
        });
    }

    @Test
    void aCancelMidwayStopsEverySignalAndCleansUpTheProducerOnTheLoop() {
        run(() -> {
            Recorder recorder = new Recorder();
            Event cleanedUp = new Event();
            AsyncStream<Integer> endless = AsyncStream.generate(emit -> {
                try {
                    for (int i = 0; ; i++) {
                        emit.emit(i);
                    }
                } finally {
                    cleanedUp.set(); // an Event of this loop: the clean-up runs on it
                }
            });
            var driver = onForeignThread(() -> {
                endless.toPublisher(loop).subscribe(recorder);
                recorder.request(3);
                List<Object> got = List.of(recorder.take(), recorder.take(), recorder.take());
                recorder.subscription.join().cancel();
                recorder.request(5); // after cancel: a no-op (§3.6)
                return got;
            });
            assertEquals(List.of(0, 1, 2), Async.await(driver.result()));
            cleanedUp.await();
            for (int turn = 0; turn < 10; turn++) {
                Async.sleep(Duration.ZERO);
            }
            assertEquals(List.of(), List.copyOf(recorder.signals), "signals after cancel");
            assertEquals(0, recorder.terminals.get());
            assertEquals(List.of(), recorder.violations);
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void requestingZeroOrANegativeNumberSignalsOneIllegalArgumentErrorAndNothingMore() {
        for (long bad : new long[] {0, -1, Long.MIN_VALUE}) {
            EventLoop each = openLoop();
            List<Object> after = new ArrayList<>();
            Object error = dev.weft.loop.Loops.run(() -> each, () -> {
                Recorder recorder = new Recorder();
                var driver = onForeignThread(() -> {
                    AsyncStream.generate((dev.weft.stream.Emitter<Integer> emit) -> {
                        for (int i = 0; ; i++) {
                            emit.emit(i);
                        }
                    }).toPublisher(each).subscribe(recorder);
                    recorder.request(2);
                    assertEquals(List.of(0, 1), List.of(recorder.take(), recorder.take()));
                    recorder.request(bad);
                    return recorder.take();
                });
                Object signal = Async.await(driver.result());
                for (int turn = 0; turn < 10; turn++) {
                    Async.sleep(Duration.ZERO);
                }
                after.addAll(recorder.signals);
                assertEquals(1, recorder.terminals.get());
                assertEquals(Set.of(Tasks.current().orElseThrow()), each.allTasks());
                return signal;
            });
            var e = assertInstanceOf(IllegalArgumentException.class, error, "request(" + bad + ")");
            assertTrue(e.getMessage().contains("3.9") && e.getMessage().contains(String.valueOf(bad)), e.getMessage());
            assertEquals(List.of(), after, "signals after the error");
        }
    }

    @Test
    void aFailingStreamSignalsOneErrorWithTheOriginalFailure() {
        IOException failure = new IOException("broken");
        run(() -> {
            Recorder recorder = new Recorder();
            AsyncStream<Integer> failing = AsyncStream.generate(emit -> {
                emit.emit(7);
                throw failure;
            });
            var driver = onForeignThread(() -> {
                failing.toPublisher(loop).subscribe(recorder);
                recorder.request(10);
                return List.of(recorder.take(), recorder.take());
            });
            assertEquals(List.of(7, failure), Async.await(driver.result()));
            assertEquals(1, recorder.terminals.get());
            return null;
        });
    }

    @Test
    void eachSubscriberGetsItsOwnRunOfTheColdStreamAndARoundTripKeepsEverything() {
        run(() -> {
            AtomicInteger runs = new AtomicInteger();
            AsyncStream<Integer> counted = AsyncStream.generate(emit -> {
                runs.incrementAndGet();
                for (int i = 0; i < 5; i++) {
                    emit.emit(i);
                }
            });
            Flow.Publisher<Integer> publisher = counted.toPublisher(loop);
            assertEquals(range(0, 5), AsyncStream.fromPublisher(publisher).toList());
            assertEquals(range(0, 5), AsyncStream.fromPublisher(publisher, 1).toList());
            assertEquals(2, runs.get());
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }

    @Test
    void subscribingOnAClosedLoopSignalsItsClosing() {
        EventLoop closed = openLoop();
        closed.close();
        Recorder recorder = new Recorder();
        AsyncStream.of(1).toPublisher(closed).subscribe(recorder);
        assertTrue(recorder.subscription.isDone());
        assertInstanceOf(LoopClosedException.class, recorder.signals.poll());
        assertNull(recorder.signals.poll());
        assertFalse(recorder.received.get() > 0);
        assertThrows(NullPointerException.class, () -> AsyncStream.of(1).toPublisher(loop).subscribe(null));
    }

    // ---- the publisher's and the subscriber's side of the rules, at their edges

    /** A publisher that signals what the test says from onSubscribe's first request, recording cancels. */
    private static Flow.Subscription subscription(Runnable onCancel, java.util.function.LongConsumer onRequest) {
        return new Flow.Subscription() {
            @Override
            public void request(long n) {
                onRequest.accept(n);
            }

            @Override
            public void cancel() {
                onCancel.run();
            }
        };
    }

    @Test
    void fromPublisherTakesATerminalSignalBeforeAnyRequestAndCancelsASecondSubscription() {
        IOException failure = new IOException("refused");
        run(() -> {
            assertEquals(List.of(), AsyncStream.fromPublisher(subscriber -> {
                subscriber.onSubscribe(subscription(() -> { }, n -> { }));
                subscriber.onComplete(); // §1.4: allowed before any request
            }).toList());
            var e = assertThrows(CompletionException.class, () -> AsyncStream.fromPublisher(subscriber -> {
                subscriber.onSubscribe(subscription(() -> { }, n -> { }));
                subscriber.onError(failure);
            }).toList());
            assertSame(failure, e.getCause());

            AtomicBoolean secondCancelled = new AtomicBoolean();
            AtomicLong secondRequested = new AtomicLong();
            assertEquals(List.of(1, 2), AsyncStream.<Integer>fromPublisher(subscriber -> {
                AtomicBoolean sent = new AtomicBoolean();
                subscriber.onSubscribe(subscription(() -> { }, n -> {
                    if (!sent.getAndSet(true)) {
                        subscriber.onNext(1);
                        subscriber.onNext(2);
                        subscriber.onComplete();
                    }
                }));
                subscriber.onSubscribe(subscription(() -> secondCancelled.set(true), secondRequested::addAndGet));
            }).toList());
            assertTrue(secondCancelled.get(), "§2.5: a second subscription must be cancelled");
            assertEquals(0, secondRequested.get(), "the second subscription was asked for items");
            return null;
        });
    }

    /**
     * A publisher that breaks §2.13 (onNext(null), onError(null)) is answered with the NullPointerException the rule
     * asks for, and the stream fails with it instead of waiting for ever; the subscription is cancelled.
     */
    @Test
    void aPublisherSignallingNullFailsTheStreamNamingTheRuleInsteadOfHanging() {
        run(() -> {
            for (boolean nullError : new boolean[] {false, true}) {
                AtomicBoolean cancelled = new AtomicBoolean();
                List<Throwable> thrownAtPublisher = new ArrayList<>();
                Flow.Publisher<Integer> broken = subscriber -> subscriber.onSubscribe(subscription(
                        () -> cancelled.set(true), n -> {
                            try {
                                if (nullError) {
                                    subscriber.onError(null);
                                } else {
                                    subscriber.onNext(1);
                                    subscriber.onNext(null);
                                }
                            } catch (NullPointerException e) {
                                thrownAtPublisher.add(e);
                            }
                        }));
                List<Integer> seen = new ArrayList<>();
                var e = assertThrows(NullPointerException.class, () -> AsyncStream.fromPublisher(broken)
                        .forEach(seen::add));
                assertTrue(e.getMessage().contains("2.13"), e.getMessage());
                assertEquals(nullError ? List.of() : List.of(1), seen);
                assertEquals(1, thrownAtPublisher.size(), "§2.13: the subscriber throws NullPointerException");
                assertTrue(cancelled.get(), "the subscription is cancelled");
            }
            return null;
        });
    }

    @Test
    void aSubscriberThatThrowsFromOnNextIsCancelledItsStreamCleanedUpAndTheErrorReported() {
        List<Object> handled = new ArrayList<>();
        run(() -> {
            Event cleanedUp = new Event();
            AtomicInteger onNexts = new AtomicInteger();
            AtomicInteger terminals = new AtomicInteger();
            AsyncStream<Integer> endless = AsyncStream.generate(emit -> {
                try {
                    for (int i = 0; ; i++) {
                        emit.emit(i);
                    }
                } finally {
                    cleanedUp.set();
                }
            });
            endless.toPublisher(loop).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(10);
                }

                @Override
                public void onNext(Integer item) {
                    onNexts.incrementAndGet();
                    throw new IllegalStateException("subscriber bug");
                }

                @Override
                public void onError(Throwable failure) {
                    terminals.incrementAndGet();
                }

                @Override
                public void onComplete() {
                    terminals.incrementAndGet();
                }
            });
            cleanedUp.await();
            for (int turn = 0; turn < 10; turn++) {
                Async.sleep(Duration.ZERO);
            }
            assertEquals(1, onNexts.get(), "signals after the subscriber threw");
            assertEquals(0, terminals.get(), "a terminal signal to a subscriber counted as cancelled");
            assertOnlyThisTaskLeft(loop);
            handled.addAll(takeUnhandled());
            return null;
        });
        assertEquals(1, handled.size());
        assertTrue(String.valueOf(handled.getFirst()).contains("2.13"), String.valueOf(handled.getFirst()));
    }

    /** §3.17: demand adds up to Long.MAX_VALUE and saturates there; an unbounded subscriber gets everything. */
    @Test
    void demandSaturatesAtLongMaxValue() {
        run(() -> {
            List<Object> signals = new ArrayList<>();
            Event done = new Event();
            AsyncStream.fromIterable(range(0, 100)).toPublisher(loop).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(Long.MAX_VALUE - 1);
                    s.request(Long.MAX_VALUE);
                    s.request(5);
                }

                @Override
                public void onNext(Integer item) {
                    signals.add(item);
                }

                @Override
                public void onError(Throwable failure) {
                    signals.add(failure);
                    done.set();
                }

                @Override
                public void onComplete() {
                    signals.add("complete");
                    done.set();
                }
            });
            done.await();
            List<Object> expected = new ArrayList<>(range(0, 100));
            expected.add("complete");
            assertEquals(expected, signals);
            return null;
        });
    }

    /** A subscriber that cancels inside onSubscribe never has the stream run: nothing was asked of it. */
    @Test
    void cancellingInsideOnSubscribeRunsNothing() {
        run(() -> {
            AtomicInteger runs = new AtomicInteger();
            List<Object> signals = new ArrayList<>();
            Event subscribed = new Event();
            AsyncStream.<Integer>generate(emit -> {
                runs.incrementAndGet();
                emit.emit(1);
            }).toPublisher(loop).subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.cancel();
                    s.request(1); // no-ops after cancel (§3.6), a bad request too
                    s.request(-1);
                    subscribed.set();
                }

                @Override
                public void onNext(Integer item) {
                    signals.add(item);
                }

                @Override
                public void onError(Throwable failure) {
                    signals.add(failure);
                }

                @Override
                public void onComplete() {
                    signals.add("complete");
                }
            });
            subscribed.await();
            for (int turn = 0; turn < 10; turn++) {
                Async.sleep(Duration.ZERO);
            }
            assertEquals(0, runs.get(), "the stream ran for a cancelled subscription");
            assertEquals(List.of(), signals);
            assertOnlyThisTaskLeft(loop);
            return null;
        });
    }
}
