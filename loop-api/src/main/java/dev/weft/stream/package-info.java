/**
 * Async streams: {@link dev.weft.stream.AsyncStream}, a cold, structured, pull-based sequence for tasks (Kotlin's
 * {@code Flow}, C#'s {@code IAsyncEnumerable}), its sources (generators, iterables, a connection's reader,
 * {@link java.util.concurrent.Flow.Publisher}s), operators and terminals, and {@code toPublisher} for the other
 * direction of Flow interop.
 *
 * <p>Nothing runs until a consumer pulls; the synchronous operators run in the consumer's task with no hand-off, and
 * the operators that need concurrency run their tasks as children of the consumer's task, so a consumer that stops
 * early, fails or is cancelled cancels them and waits until their clean-up has run on their own tasks. See
 * {@link dev.weft.stream.AsyncStream} for the rules, and {@code docs/design.md}, "Async streams", for why.
 *
 * <p>A stream and its cursors belong to the loop of the task that consumes them: see {@link dev.weft.sync} for what
 * binding to a loop means.
 */
package dev.weft.stream;
