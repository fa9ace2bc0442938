/**
 * Synchronization primitives and queues for the tasks of one loop, as asyncio's {@code locks} and {@code queues}
 * (Python 3.13): {@link dev.weft.sync.Lock}, {@link dev.weft.sync.Event}, {@link dev.weft.sync.Condition},
 * {@link dev.weft.sync.Semaphore}, {@link dev.weft.sync.BoundedSemaphore}, {@link dev.weft.sync.Barrier} and
 * {@link dev.weft.sync.AsyncQueue}. They coordinate tasks on one loop, not threads: for threads use
 * java.util.concurrent. None takes a timeout; put a timeout around the call instead.
 *
 * <h2>Waiting</h2>
 * A call that has to wait suspends the calling task, not the loop, by awaiting a future of the loop
 * ({@link dev.weft.loop.Future#await()}). Waiters are served first come, first served: a release hands the lock, the
 * permit or the item straight to the first waiter, so no newcomer can barge in. Every primitive is
 * cancellation-safe: a task cancelled while waiting leaves the queue having taken nothing, and a task cancelled after
 * it was woken but before it ran passes on what it was given (the lock, a permit, a signal, its item) as it leaves.
 * The {@link java.util.concurrent.CancellationException} always reaches the task.
 *
 * <h2>Which loop, which thread</h2>
 * <ol>
 *   <li><b>Bound to one loop.</b> A primitive belongs to the loop it is first used on (as asyncio's since 3.10), so it
 *       can be created anywhere, before any loop runs. Used from a task or callback of another loop, it throws
 *       {@link dev.weft.loop.InvalidStateException} naming both loops.</li>
 *   <li><b>Confined to it.</b> While its loop runs, a call from any other thread throws
 *       {@link java.lang.WrongThreadException}; hand the call to the loop with
 *       {@link dev.weft.loop.EventLoop#callSoonThreadsafe} or {@link dev.weft.loop.EventLoop#submit}. While its loop
 *       is idle (not yet running, or closed), and before it is bound, the thread that sets things up may use it, as
 *       it may use the idle loop: to fill a queue before the loop starts, or read what is left after it stopped.</li>
 *   <li><b>Only tasks wait.</b> Calls that do not have to wait ({@code tryAcquire}, {@code release}, {@code set},
 *       {@code putNow}, a free {@code acquire}, ...) also work in a loop callback. A call that would have to wait
 *       throws instead of blocking anything: {@link dev.weft.loop.BlockingOnLoopException} on a loop thread outside
 *       a task (as await does there), and {@link dev.weft.loop.InvalidStateException} on a thread that runs no loop
 *       (where await would block the thread, which here would wait for a loop nobody runs and touch the primitive
 *       from two threads).</li>
 * </ol>
 *
 * <h2>Errors</h2>
 * <table>
 *   <caption>What each misuse throws</caption>
 *   <tr><th>situation</th><th>type</th></tr>
 *   <tr><td>release of a lock the caller does not hold; await or signal without the condition's lock</td>
 *       <td>{@link java.lang.IllegalMonitorStateException}</td></tr>
 *   <tr><td>a Lock acquired again by its holder (not reentrant); a BoundedSemaphore released above its bound;
 *       {@code taskDone()} called more often than items were put</td>
 *       <td>{@link dev.weft.loop.InvalidStateException}</td></tr>
 *   <tr><td>a negative semaphore count or queue size, a barrier of no parties</td>
 *       <td>{@link java.lang.IllegalArgumentException}</td></tr>
 *   <tr><td>a broken or reset barrier</td><td>{@link dev.weft.sync.BarrierBrokenException}</td></tr>
 *   <tr><td>{@code putNow} on a full queue, {@code getNow} on an empty one</td>
 *       <td>{@link dev.weft.sync.QueueFullException}, {@link dev.weft.sync.QueueEmptyException}</td></tr>
 *   <tr><td>a queue used after {@code shutdown}</td><td>{@link dev.weft.sync.QueueShutDownException}</td></tr>
 * </table>
 */
package dev.weft.sync;
