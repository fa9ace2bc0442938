package dev.weft.nio;

import dev.weft.loop.Async;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.TaskMode;
import dev.weft.loop.Tasks;

import java.time.Duration;

/** Run by {@link FallbackModeTest} in a JVM started without --add-opens: two programs on two loops. */
public final class FallbackModeMain {
    public static void main(String[] args) {
        for (int run = 0; run < 2; run++) {
            String result = Loops.run(() -> {
                Task<String> a = Tasks.spawn(() -> {
                    Async.sleep(Duration.ofMillis(20));
                    return "a";
                });
                Task<String> b = Tasks.spawn(() -> "b");
                return a.await() + b.await();
            });
            System.out.println(result + " " + TaskMode.bestAvailable());
        }
    }
}
