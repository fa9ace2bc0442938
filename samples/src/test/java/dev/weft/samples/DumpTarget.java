package dev.weft.samples;

import dev.weft.channel.Channel;
import dev.weft.loop.Async;
import dev.weft.loop.Loops;
import dev.weft.scope.TaskGroup;

import java.time.Duration;

/**
 * A Weft program for {@code weft dump} to dump: main closes a group of "receiver" (awaiting a channel nobody sends
 * on) and "sleeper" (asleep for an hour), and prints "ready" once all three are suspended. Stopped by its test.
 */
public final class DumpTarget {
    private DumpTarget() {
    }

    public static void main(String[] args) {
        Loops.run(() -> {
            try (TaskGroup group = TaskGroup.open()) {
                group.spawn("receiver", () -> {
                    Channel.<String>unbuffered().receive();
                });
                group.spawn("sleeper", () -> {
                    System.out.println("ready"); // the loop runs a dump's request only once this task is asleep
                    System.out.flush();
                    Async.sleep(Duration.ofHours(1));
                });
            }
        });
    }
}
