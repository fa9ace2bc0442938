package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Outcome;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CancellationException;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Tasks: results, outcomes, names, where they run, and Async.sleep. */
public abstract class TaskSuite extends LoopSuite {

    @Test
    void aTaskReturnsItsBodysResult() {
        int answer = run(() -> {
            Task<Integer> half = Tasks.spawn(() -> 21);
            return half.await() * 2;
        });
        assertEquals(42, answer);
    }

    /** A new task waits for the current one to await: create_task never runs the body eagerly (contract 1). */
    @Test
    void newTasksStartInCreationOrderOnceTheCurrentTaskAwaits() {
        Steps steps = new Steps();
        run(() -> {
            steps.expect(1);
            List<Task<?>> tasks = new ArrayList<>();
            for (int i = 3; i <= 5; i++) {
                int step = i;
                tasks.add(Tasks.spawn(() -> {
                    steps.expect(step);
                    return null;
                }));
            }
            steps.expect(2);
            for (Task<?> task : tasks) {
                task.await();
            }
            return null;
        });
        steps.finish(6);
    }

    @Test
    void anOutcomeTakesApartEveryEnding() {
        IllegalStateException boom = new IllegalStateException("boom");
        List<String> described = run(() -> {
            Task<String> succeeds = Tasks.spawn(() -> "ok");
            Task<String> fails = Tasks.spawn(() -> {
                throw boom;
            });
            Task<String> cancelled = Tasks.spawn(() -> {
                Async.sleep(NEVER);
                return "late";
            });
            Async.sleep(Duration.ZERO); // let them all start
            cancelled.cancel("enough");
            List<String> result = new ArrayList<>();
            for (Task<String> task : List.of(succeeds, fails, cancelled)) {
                try {
                    task.await();
                } catch (RuntimeException expected) {
                    // the outcome says what it was
                }
                result.add(switch (task.outcome()) {
                    case Outcome.Success<String>(String value) -> "success " + value;
                    case Outcome.Failure<String>(Throwable error) -> "failure " + (error == boom);
                    case Outcome.Cancelled<String>(CancellationException cause) -> "cancelled " + cause.getMessage();
                });
            }
            return result;
        });
        assertEquals(List.of("success ok", "failure true", "cancelled enough"), described);
    }

    @Test
    void aTaskKnowsItsNameAndIsTheCurrentTaskInsideItsBody() {
        run(() -> {
            Task<?>[] inside = new Task<?>[1];
            Task<String> worker = loop.createTask("worker", () -> {
                inside[0] = Tasks.current().orElseThrow();
                return "worked";
            });
            worker.await();
            assertEquals("worker", worker.name());
            assertSame(worker, inside[0]);
            Task<?> a = Tasks.spawn(() -> null);
            Task<?> b = Tasks.spawn(() -> null);
            assertFalse(a.name().isBlank());
            assertNotEquals(a.name(), b.name(), "unnamed tasks get distinct names");
            return null;
        });
    }

    @Test
    void insideATaskTheCurrentLoopIsItsLoopAndCodeRunsInIt() {
        List<Object> seen = run(() -> List.of(EventLoop.current(), Async.loop(), loop.inLoop(), loop.isRunning(),
                Tasks.current().isPresent()));
        assertEquals(List.of(loop, loop, true, true, true), seen);
        // Outside every loop there is no current loop and no current task.
        assertThrows(InvalidStateException.class, EventLoop::current);
        assertTrue(Tasks.current().isEmpty());
    }

    @Test
    void allTasksListsTheTasksNotYetDone() {
        run(() -> {
            Task<?> main = Tasks.current().orElseThrow();
            Future<Void> gate = loop.createFuture();
            Task<Void> a = Tasks.spawn(() -> gate.await());
            Task<Void> b = Tasks.spawn(() -> gate.await());
            Async.sleep(Duration.ZERO);
            assertEquals(Set.of(main, a, b), loop.allTasks());
            gate.setResult(null);
            a.await();
            b.await();
            assertEquals(Set.of(main), loop.allTasks());
            return null;
        });
    }

    @Test
    void asyncSleepNeverWakesEarly() {
        List<String> early = run(() -> {
            List<String> found = new ArrayList<>();
            for (Duration d : List.of(Duration.ZERO, Duration.ofNanos(1), Duration.ofMillis(1), Duration.ofMillis(7),
                    Duration.ofMillis(20))) {
                long before = loop.time();
                Async.sleep(d);
                long slept = loop.time() - before;
                if (slept < d.toNanos()) {
                    found.add(d + " woke after " + slept + " ns");
                }
            }
            return found;
        });
        assertEquals(List.of(), early);
    }

    @Test
    void concurrentSleepersWakeInDeadlineOrder() {
        List<Integer> woke = run(() -> {
            List<Integer> order = new ArrayList<>();
            List<Task<?>> sleepers = new ArrayList<>();
            for (int ms : new int[]{30, 10, 20, 0}) {
                sleepers.add(Tasks.spawn(() -> {
                    Async.sleep(Duration.ofMillis(ms));
                    order.add(ms);
                    return null;
                }));
            }
            for (Task<?> sleeper : sleepers) {
                sleeper.await();
            }
            return order;
        });
        assertEquals(List.of(0, 10, 20, 30), woke);
    }

    /** Awaiting itself could only deadlock, so it fails at once. */
    @Test
    void aTaskCannotAwaitItself() {
        run(() -> {
            Task<?> self = Tasks.current().orElseThrow();
            assertThrows(InvalidStateException.class, self::await);
            return null;
        });
    }

    @Test
    void aTasksOutcomeComesFromItsBodyOnly() {
        run(() -> {
            @SuppressWarnings("unchecked")
            Task<Object> self = (Task<Object>) Tasks.current().orElseThrow();
            assertThrows(InvalidStateException.class, () -> self.setResult("forced"));
            assertThrows(InvalidStateException.class, () -> self.setException(new RuntimeException()));
            assertFalse(self.isDone());
            return null;
        });
    }
}
