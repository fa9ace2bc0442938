package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.Future;
import dev.weft.loop.Loops;
import dev.weft.loop.Tasks;

import java.io.PrintStream;
import java.util.function.Function;

/**
 * How the sample servers run: started in {@code Loops.run}'s main task, serving until SIGINT (Ctrl-C) or SIGTERM
 * cancels it, then closed (shielded, since the task is cancelled by then and the clean-up still has to wait) and
 * {@code NAME stopped} said; the process exits with 130 or 143.
 */
final class UntilStopped {
    private UntilStopped() {
    }

    /** Makes the server, in the main task. */
    @FunctionalInterface
    interface Start<S extends AutoCloseable> {
        S start() throws Exception;
    }

    static <S extends AutoCloseable> int serve(String name, Start<S> start, Function<S, String> started,
                                               PrintStream out) throws Exception {
        return Loops.run(() -> {
            S server = start.start();
            try {
                out.println(started.apply(server));
                out.flush();
                Future<Void> never = Async.loop().createFuture();
                never.await(); // until a signal cancels the main task
                return 0;
            } finally {
                Tasks.shielded(server::close);
                out.println(name + " stopped");
                out.flush();
            }
        });
    }
}
