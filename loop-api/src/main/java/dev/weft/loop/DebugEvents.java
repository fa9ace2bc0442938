package dev.weft.loop;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Event;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Timespan;

/**
 * The JFR events of debug mode, emitted where its warnings are: {@code dev.weft.SlowStep} when a step ends that held
 * its loop too long, {@code dev.weft.BlockedLoop} when the watchdog finds a loop held too long. Each is built only
 * when JFR records it ({@link Event#isEnabled()}), so with JFR off a warning costs no event.
 */
final class DebugEvents {
    private DebugEvents() {
    }

    static void slowStep(AbstractEventLoop loop, String step, long nanos) {
        commit(new SlowStep(), loop, step, nanos);
    }

    static void blockedLoop(AbstractEventLoop loop, String step, long nanos) {
        commit(new BlockedLoop(), loop, step, nanos);
    }

    private static void commit(HeldLoop event, AbstractEventLoop loop, String step, long nanos) {
        if (event.isEnabled()) {
            event.loop = loop.toString();
            event.step = step;
            event.held = nanos;
            event.commit();
        }
    }

    /** What both events say: which loop, held by which step, for how long (so far, for a blocked loop). */
    @Category("Weft")
    abstract static class HeldLoop extends Event {
        @Label("Loop")
        String loop;
        @Label("Step")
        String step;
        @Label("Held")
        @Timespan(Timespan.NANOSECONDS)
        long held;
    }

    @Name("dev.weft.SlowStep")
    @Label("Slow Loop Step")
    @Description("A callback or task step held its event loop longer than the debug mode's threshold")
    static final class SlowStep extends HeldLoop {
    }

    @Name("dev.weft.BlockedLoop")
    @Label("Blocked Loop")
    @Description("The debug watchdog found an event loop held by one step longer than its threshold (held: so far)")
    static final class BlockedLoop extends HeldLoop {
    }
}
