/**
 * Structured concurrency on a Weft loop: the control asyncio 3.11+ and trio give, in Java.
 *
 * <ul>
 *   <li>{@link dev.weft.scope.TaskGroup}: tasks that do not outlive the block that started them; a failure cancels
 *       the rest and is reported once all have ended.</li>
 *   <li>{@link dev.weft.scope.Timeout}: deadlines for a block of code, turning only their own cancellation into a
 *       {@link dev.weft.loop.DeadlineExceededException}.</li>
 *   <li>{@link dev.weft.scope.Futures}: gather, gather-settled, first-completed, as-completed, and shield (a step that
 *       finishes even when its caller is cancelled).</li>
 *   <li>{@link dev.weft.scope.TaskContext}: {@link java.lang.ScopedValue} bindings that follow a task into the tasks it
 *       starts.</li>
 * </ul>
 *
 * <p>All of it builds on the cancellation model of {@link dev.weft.loop.Task}: a cancellation is a request, delivered
 * as a {@link java.util.concurrent.CancellationException} at the next await, and counted
 * ({@link dev.weft.loop.Task#cancelling()}, {@link dev.weft.loop.Task#uncancel()}) so that a scope can tell the
 * cancellation it asked for from one that came from outside. Every class here is confined to the loop of the task that
 * uses it (see {@link dev.weft.loop}); those that cancel or await the current task must be used inside a task and say
 * so with an {@link dev.weft.loop.InvalidStateException} otherwise.
 */
package dev.weft.scope;
