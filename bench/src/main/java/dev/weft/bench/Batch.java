package dev.weft.bench;

/**
 * How every micro benchmark here is shaped: one JMH invocation runs a batch of {@link #SIZE} operations inside one
 * task (or one virtual thread, for the JDK baselines), and {@code @OperationsPerInvocation(Batch.SIZE)} makes JMH
 * report the cost of one operation.
 *
 * <p>Why not a loop on its own thread, fed one operation per invocation by {@code loop.submit(...)}? Then every
 * operation would also pay for a cross-thread hand-off: queue the submission, wake the selector, park the JMH thread,
 * unpark it when the result arrives. That costs microseconds, more than what we want to measure, and it is not what
 * a Weft program pays: its tasks spawn and await each other on the loop's own thread. Batching puts that hand-off
 * (and the loop's start and stop) once per {@value #SIZE} operations, where it disappears in the noise.
 *
 * <p>The loop runs on the JMH thread itself ({@code runUntilComplete}): a platform thread, as a loop thread is.
 */
final class Batch {
    /** Operations per invocation: large enough to hide the per-invocation cost, small enough to stay in cache. */
    static final int SIZE = 1000;

    private Batch() {
    }
}
