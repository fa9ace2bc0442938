/**
 * Go's channels and {@code select} for Weft: {@link dev.weft.channel.Channel} hands items from senders to receivers,
 * {@link dev.weft.channel.Select} waits on several channels, futures and a timeout at once and does exactly one.
 *
 * <h2>Any loop, any thread</h2>
 * The primitives of {@link dev.weft.sync} belong to one loop (asyncio's rule). A channel does not (Go's rule): tasks
 * of different loops, on different threads, and threads that run no loop may all share one. So a channel is
 * thread-safe — a small lock guards its state, held only for a few field updates and never while anyone waits — and
 * each waiter waits in its own way:
 * <ul>
 *   <li>a <b>task</b> suspends on a future of its own loop, which runs on; whoever completes the wait from another
 *       thread hands the wake-up to that loop;</li>
 *   <li>a <b>thread that runs no loop</b> (a plain or virtual thread) blocks;</li>
 *   <li>a <b>loop thread outside a task</b> (a callback) may not wait, since it would stop the loop that has to wake
 *       it: a call that would have to wait throws {@link dev.weft.loop.BlockingOnLoopException};
 *       {@code trySend}, {@code tryReceive} and a select with a default case never wait.</li>
 * </ul>
 *
 * <h2>Errors</h2>
 * <table>
 *   <caption>What each misuse or end throws</caption>
 *   <tr><th>situation</th><th>type</th></tr>
 *   <tr><td>receive from a channel closed and drained</td><td>{@link dev.weft.channel.ChannelClosedException}
 *       (a {@link java.util.NoSuchElementException}: the end, not a bug)</td></tr>
 *   <tr><td>send on a closed channel, or a select's send case on one</td>
 *       <td>{@link dev.weft.channel.SendOnClosedChannelException} (an {@link dev.weft.loop.InvalidStateException})</td></tr>
 *   <tr><td>a select with no cases, two defaults, a default and a timeout; a negative capacity</td>
 *       <td>{@link java.lang.IllegalArgumentException}</td></tr>
 *   <tr><td>a null item</td><td>{@link java.lang.NullPointerException}</td></tr>
 *   <tr><td>a wait cancelled (task) or interrupted (thread) before anything was handed over</td>
 *       <td>{@link java.util.concurrent.CancellationException}; nothing was sent or taken</td></tr>
 * </table>
 */
package dev.weft.channel;
