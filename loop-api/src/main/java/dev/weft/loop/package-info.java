/**
 * Weft's event loop: the SPI every backend implements, the shared loop core, futures, tasks and await.
 *
 * <h2>Threading contract</h2>
 * <ol>
 *   <li><b>One thread per loop.</b> A loop's callbacks and tasks run on the thread that runs the loop
 *       ({@link dev.weft.loop.EventLoop#runForever()}), one at a time. A task gives the thread up only where it
 *       awaits. Methods marked <em>confined</em> must be called on the loop (from a callback or a task of that loop);
 *       from any other thread they throw {@link java.lang.WrongThreadException}. While a loop is not running, the
 *       thread that set it up may call them.</li>
 *   <li><b>Other threads enter through thread-safe submission only</b>:
 *       {@link dev.weft.loop.EventLoop#callSoonThreadsafe(Runnable)}, {@link dev.weft.loop.EventLoop#submit},
 *       {@link dev.weft.loop.EventLoop#execute(Runnable)} and {@link dev.weft.loop.EventLoop#stop()}.</li>
 *   <li><b>A task is a virtual thread carried by its loop</b>: the virtual thread's scheduler is the loop itself,
 *       so a task that parks (awaiting a future, sleeping, blocking on a JDK socket) yields the loop thread and
 *       resumes on it. This needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}; without it tasks run on
 *       ordinary virtual threads that hold the loop's baton while they run (slower, same semantics, logged once).</li>
 *   <li><b>await</b> ({@link dev.weft.loop.Future#await()}) suspends the calling task, not the loop. On a loop thread
 *       outside a task it throws {@link dev.weft.loop.BlockingOnLoopException} at once. From any other thread it
 *       blocks that thread.</li>
 *   <li><b>Cancellation</b> is {@link java.util.concurrent.CancellationException}, delivered at the task's next
 *       await, and again at every await after it until the task ends, the request is taken back
 *       ({@link dev.weft.loop.Task#uncancel()}) or the code runs {@link dev.weft.loop.Tasks#shielded shielded}.</li>
 * </ol>
 *
 * <h2>The Java trap, and the rule</h2>
 * {@code catch (Exception e)} catches CancellationException: unlike Python's {@code except Exception}, which lets
 * CancelledError through. A worker that logs and goes on would swallow a one-shot cancellation and then wait forever.
 * So cancellation here is level-triggered, as in trio and Kotlin: the worker's next call that may wait throws again,
 * and a worker whose {@code try} does not cover that call ends. One that catches around every wait must ask in its
 * loop condition, {@code while (!Tasks.isCancelled())}: no library can end it otherwise. Clean-up that must await
 * after a cancellation runs in {@link dev.weft.loop.Tasks#shielded}; a loop that never waits checks
 * {@link dev.weft.loop.Tasks#checkCancelled()}.
 *
 * <h2>The exception rule</h2>
 * Entry points take a {@link dev.weft.loop.Body} (or {@link dev.weft.loop.VoidBody}) whose exception type is a
 * parameter. A body run in the caller's own task (Timeout, withPermit, withLock, TaskGroup.run, Loops.run) throws
 * through as itself, checked exceptions declared; a failure of another task ({@link dev.weft.loop.Future#await()},
 * a group's children) comes as itself if unchecked, in a {@link java.util.concurrent.CompletionException} whose cause
 * is the original if checked. Several failures: the first is thrown, the rest suppressed on it.
 */
package dev.weft.loop;
