package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Virtual time: timers fire at once, in deadline order, and the loop's clock shows exactly the time slept. */
public abstract class VirtualTimeSuite extends LoopSuite {

    @Test
    void anHourOfSleepTakesNoRealTime() {
        VirtualClock clock = VirtualClock.install(loop);
        long realStart = System.nanoTime();
        long loopElapsed = run(() -> {
            long start = loop.time();
            Async.sleep(Duration.ofHours(1));
            return loop.time() - start;
        });
        assertEquals(Duration.ofHours(1).toNanos(), loopElapsed, "the loop clock moved by exactly the sleep");
        assertEquals(Duration.ofHours(1), clock.elapsed());
        assertTrue(System.nanoTime() - realStart < Duration.ofSeconds(5).toNanos(), "an hour of sleep took real time");
    }

    @Test
    void sleepersWakeInDeadlineOrderAtTheirExactTimes() {
        VirtualClock.install(loop);
        List<String> woke = run(() -> {
            List<String> order = new ArrayList<>();
            List<Task<Void>> sleepers = new ArrayList<>();
            for (int seconds : new int[] {30, 10, 20, 10}) {
                sleepers.add(Tasks.spawn(() -> {
                    Async.sleep(Duration.ofSeconds(seconds));
                    order.add(seconds + "s@" + Duration.ofNanos(loop.time()).toSeconds());
                    return null;
                }));
            }
            for (Task<Void> sleeper : sleepers) {
                sleeper.await();
            }
            return order;
        });
        assertEquals(List.of("10s@10", "10s@10", "20s@20", "30s@30"), woke);
    }

    @Test
    void advancingByHandRunsTheTimersThatCameDue() {
        VirtualClock clock = VirtualClock.install(loop);
        List<String> fired = new ArrayList<>();
        loop.callLater(Duration.ofSeconds(5), () -> fired.add("5s"));
        loop.callLater(Duration.ofSeconds(50), () -> fired.add("50s"));
        loop.callSoon(() -> clock.advance(Duration.ofSeconds(6)));
        loop.callLater(Duration.ofSeconds(6), loop::stop); // due with the jump, after the 5 s timer
        loop.runForever();
        assertEquals(List.of("5s"), fired);
    }
}
