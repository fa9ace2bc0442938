package dev.weft.bench;

import dev.weft.loop.Body;
import dev.weft.loop.TaskMode;
import dev.weft.nio.NioEventLoop;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;


/**
 * A NIO loop in the task mode under test, driven by the JMH thread. The mode is a parameter so that the fast path
 * (CARRIED) and the fallback (BATON) come out as two rows of the same run.
 */
@State(Scope.Thread)
public class LoopState {
    private static final long PROBE_NANOS = 100_000_000L;

    @Param({"CARRIED", "BATON"})
    public String mode;

    public NioEventLoop loop;

    @Setup(Level.Trial)
    public void open() {
        TaskMode expected = TaskMode.valueOf(mode);
        // Without --add-opens in the forked JVM this constructor throws for CARRIED: the row fails, never lies.
        loop = new NioEventLoop(expected);
        if (loop.taskMode() != expected) {
            throw new IllegalStateException("asked for a " + expected + " loop, got " + loop.taskMode());
        }
        checkTasksRunAs(expected);
    }

    /**
     * Prove the mode by its effect, not by its name: in BATON mode the loop thread parks while a task runs on
     * another carrier; in CARRIED mode the loop thread is the carrier, so it never parks while the task runs.
     */
    private void checkTasksRunAs(TaskMode expected) {
        Thread loopThread = Thread.currentThread();
        boolean loopParked = run(() -> {
            long end = System.nanoTime() + PROBE_NANOS;
            while (System.nanoTime() - end < 0) {
                if (loopThread.getState() == Thread.State.WAITING) {
                    return true;
                }
                Thread.onSpinWait();
            }
            return false;
        });
        if (loopParked != (expected == TaskMode.BATON)) {
            throw new IllegalStateException(expected + " loop, but its thread " + (loopParked ? "parked" : "kept running")
                    + " while a task ran (task thread: " + run(() -> Thread.currentThread().toString()) + ")");
        }
    }

    /** Run the body as a task on the loop, on this thread, until it is done. */
    public <T> T run(Body<T, ?> body) {
        return loop.runUntilComplete(loop.createTask("bench", body));
    }

    @TearDown(Level.Trial)
    public void close() {
        loop.close();
    }
}
