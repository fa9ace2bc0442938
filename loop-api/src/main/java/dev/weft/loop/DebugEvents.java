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
        SlowStep event = new SlowStep();
        if (event.isEnabled()) {
            event.loop = loop.toString();
            event.step = step;
            event.held = nanos;
            event.commit();
        }
    }

    static void blockedLoop(AbstractEventLoop loop, String step, long nanos) {
        BlockedLoop event = new BlockedLoop();
        if (event.isEnabled()) {
            event.loop = loop.toString();
            event.step = step;
            event.held = nanos;
            event.commit();
        }
    }

    @Name("dev.weft.SlowStep")
    @Label("Slow Loop Step")
    @Category("Weft")
    @Description("A callback or task step held its event loop longer than the debug mode's threshold")
    static final class SlowStep extends Event {
        @Label("Loop")
        String loop;
        @Label("Step")
        String step;
        @Label("Held")
        @Timespan(Timespan.NANOSECONDS)
        long held;
    }

    @Name("dev.weft.BlockedLoop")
    @Label("Blocked Loop")
    @Category("Weft")
    @Description("The debug watchdog found an event loop held by one step longer than its threshold")
    static final class BlockedLoop extends Event {
        @Label("Loop")
        String loop;
        @Label("Step")
        String step;
        @Label("Held so far")
        @Timespan(Timespan.NANOSECONDS)
        long held;
    }
}
