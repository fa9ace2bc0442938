package dev.weft.testkit;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Handle;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Ready callbacks: FIFO, one iteration at a time, on the loop's thread; contract 1. */
public abstract class CallbackSuite extends LoopSuite {

    @Test
    void callSoonRunsCallbacksInTheOrderTheyWereScheduled() {
        List<Integer> ran = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            int n = i;
            loop.callSoon(() -> ran.add(n));
        }
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(IntStream.range(0, 100).boxed().toList(), ran);
    }

    @Test
    void executeSharesTheQueueOfCallSoon() {
        List<String> ran = new ArrayList<>();
        onLoop(() -> {
            loop.callSoon(() -> ran.add("callSoon 1"));
            loop.execute(() -> ran.add("execute"));
            loop.callSoon(() -> ran.add("callSoon 2"));
        });
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(List.of("callSoon 1", "execute", "callSoon 2"), ran);
    }

    @Test
    void aCallbackScheduledByACallbackRunsAfterThoseAlreadyReady() {
        Steps steps = new Steps();
        loop.callSoon(() -> {
            steps.expect(1);
            loop.callSoon(() -> {
                steps.expect(3);
                loop.stop();
            });
        });
        loop.callSoon(() -> steps.expect(2));
        loop.runForever();
        steps.finish(4);
    }

    /**
     * A callback that schedules itself forever must not starve timers or other threads: what a callback schedules
     * waits for the next iteration, which polls first. Were it run in the same iteration, this test would spin.
     */
    @Test
    void aSelfReschedulingCallbackDoesNotStarveTimersOrOtherThreads() {
        var timerRan = new boolean[1];
        var foreignRan = new boolean[1];
        var spins = new int[1];
        Runnable spin = new Runnable() {
            @Override
            public void run() {
                spins[0]++;
                if (spins[0] == 1) {
                    onForeignThread(() -> loop.callSoonThreadsafe(() -> foreignRan[0] = true));
                }
                if (timerRan[0] && foreignRan[0]) {
                    loop.stop();
                } else {
                    loop.callSoon(this);
                }
            }
        };
        loop.callLater(Duration.ofMillis(1), () -> timerRan[0] = true);
        loop.callSoon(spin);
        loop.runForever();
        assertTrue(timerRan[0] && foreignRan[0]);
        assertTrue(spins[0] > 1, "the spinning callback kept running meanwhile");
    }

    @Test
    void aCancelledHandleNeverRuns() {
        List<String> ran = new ArrayList<>();
        Handle doomed = loop.callSoon(() -> ran.add("doomed"));
        loop.callSoon(() -> ran.add("kept"));
        assertTrue(doomed.cancel());
        assertFalse(doomed.cancel(), "a second cancel does nothing");
        assertTrue(doomed.isCancelled());
        // Cancelling from a callback that runs earlier in the same iteration also counts.
        Handle[] late = new Handle[1];
        loop.callSoon(() -> late[0].cancel());
        late[0] = loop.callSoon(() -> ran.add("late"));
        loop.callSoon(loop::stop);
        loop.runForever();
        assertEquals(List.of("kept"), ran);
    }

    @Test
    void callSoonThreadsafeRunsOnTheLoopThreadInTheOrderSubmitted() throws Exception {
        List<Integer> ran = new CopyOnWriteArrayList<>();
        List<Thread> threads = new CopyOnWriteArrayList<>();
        var foreign = onForeignThread(() -> {
            for (int i = 0; i < 100; i++) {
                int n = i;
                loop.callSoonThreadsafe(() -> {
                    ran.add(n);
                    threads.add(Thread.currentThread());
                });
            }
            return loop.callSoonThreadsafe(loop::stop);
        });
        loop.runForever(); // the test thread is the loop thread
        foreign.result().get();
        assertEquals(IntStream.range(0, 100).boxed().toList(), ran);
        assertTrue(threads.stream().allMatch(t -> t == Thread.currentThread()), "callbacks ran on " + threads);
    }

    /** asyncio's stop(): the callbacks ready when it is called still run; the ones they schedule wait for next time. */
    @Test
    void stopLetsTheReadyCallbacksRunAndTheNextRunPicksUpTheRest() {
        Steps steps = new Steps();
        loop.callSoon(() -> {
            steps.expect(1);
            loop.stop();
            loop.callSoon(() -> steps.expect(3));
        });
        loop.callSoon(() -> steps.expect(2));
        loop.runForever();
        assertFalse(loop.isRunning());
        loop.callSoon(loop::stop);
        loop.runForever();
        steps.finish(4);
    }

    @Test
    void aCallbackSeesItsLoopAndNoTask() {
        var seen = new ArrayList<Object>();
        onLoop(() -> {
            seen.add(loop.inLoop());
            seen.add(loop.isRunning());
            seen.add(EventLoop.current());
            seen.add(Tasks.current().isPresent());
        });
        assertEquals(List.of(true, true, loop, false), seen);
        assertFalse(loop.inLoop(), "the test thread, not running the loop, is not in it");
    }
}
