package dev.weft.stream;

import dev.weft.channel.Channel;
import dev.weft.loop.EventLoop;
import dev.weft.net.StreamReader;

import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.Flow;
import java.util.function.BiFunction;
import java.util.function.BinaryOperator;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.Predicate;
import java.util.stream.Collector;
import java.util.stream.Collectors;

/**
 * A cold, structured sequence of items for tasks, what Kotlin calls a {@code Flow} and C# an
 * {@code IAsyncEnumerable}, in Weft's direct style: a call that waits suspends the task.
 *
 * <pre>{@code
 * AsyncStream.generate(emit -> { for (String url : urls) emit.emit(fetch(url)); })  // a producer task
 *         .mapConcurrent(8, this::parse)                                           // 8 at a time, in order
 *         .filter(Page::ok)
 *         .take(100)
 *         .forEach(this::save);                                                    // runs it, in this task
 * }</pre>
 *
 * <ul>
 *   <li><b>Cold.</b> A stream is a recipe: nothing runs until a consumer opens it and pulls, and each consumer gets
 *       its own run ({@link #open()}). Building a pipeline starts no task.</li>
 *   <li><b>Pull.</b> The consumer's task pulls each item through the chain ({@link Cursor#hasNext()}). map, filter,
 *       take, drop, takeWhile, chunked(n), zip, onErrorResume, retry and onCompletion run in the consumer's task,
 *       item by item, with no task and no hand-off of their own. A task is started only where the work must go on
 *       while the consumer waits: {@link #generate} (its producer), {@link #buffer}, the concurrent operators
 *       ({@link #mapConcurrent}, {@link #flatMapMerge}, {@link #merge}) and the timed ones ({@link #timeout},
 *       {@link #debounce}, {@link #sample}, {@link #chunked(int, Duration)}).</li>
 *   <li><b>Structured; clean-up is guaranteed.</b> Those tasks are children of a {@code TaskGroup} of the consumer's
 *       task. A consumer that stops early — take, a break out of a cursor, an exception, its own cancellation —
 *       closes the cursor, which cancels them and returns only once they have ended: a producer's {@code finally}
 *       blocks run on the producer's own task, on its loop, before the consumer goes on (asyncio finalises an
 *       abandoned async generator in whatever task collects it, cpython#88684; here that cannot happen). A failure of
 *       one concurrent task cancels the others and reaches the consumer.</li>
 *   <li><b>A producer that ignores its cancellation</b> (catches the CancellationException and goes on) is waited for,
 *       as a TaskGroup waits for any child: nothing a stream started outlives its consumer. After the grace period
 *       ({@code -Dweft.cancel.grace}, 5 s) a WARNING names it and where it is stuck. Weft does not abandon it after a
 *       grace period instead: the producer would then run on, unowned, with its clean-up unfinished.</li>
 *   <li><b>Failures</b> reach the consumer as Weft's exception rule says: the body the consumer runs itself
 *       ({@link #forEach}'s action) throws as itself, checked exceptions declared; a failure of the stream (a
 *       generator, an operator's function, a read) as itself if unchecked, in a
 *       {@link java.util.concurrent.CompletionException} if checked. Cancellation is never caught by
 *       {@link #onErrorResume} or {@link #retry}.</li>
 *   <li><b>No nulls.</b> Streams carry no null items; a null is refused where it enters, naming the operator.</li>
 * </ul>
 *
 * <h2>Why not Iterable</h2>
 * An {@code AsyncStream} is deliberately not {@link Iterable}: a bare {@code for (T item : stream)} that breaks early
 * or throws has no hook to close its iterator, so the producer task would be left running, unowned and not cleaned up
 * — the bug this type exists to prevent. Consume it with {@link #forEach}, a collecting terminal ({@link #toList},
 * {@link #collect}, {@link #reduce}, {@link #first}, {@link #count}), or a cursor in try-with-resources:
 * {@code try (var it = stream.open()) { while (it.hasNext()) use(it.next()); }}.
 *
 * <p>Consume a stream in a task; a stream that starts tasks says so with an
 * {@link dev.weft.loop.InvalidStateException} outside one. Its tasks run on the consumer's loop.
 *
 * @param <T> the items
 */
@FunctionalInterface
public interface AsyncStream<T> {

    /**
     * The buffer of {@link #generate(Generator)}, of the operators that run their upstream in a task, and the prefetch
     * of {@link #fromPublisher(Flow.Publisher)}: 64 items, as Kotlin's buffered channels. A producer and its consumer
     * switch tasks about once per buffer-full, and a switch costs some microseconds, so a smaller buffer makes every
     * item dearer ({@code StreamBench}: about 4x at 16 than at 256).
     */
    int DEFAULT_BUFFER = 64;

    /**
     * Start a pass over the stream. Nothing runs until the cursor is pulled; close it (try-with-resources) in the task
     * that opened it.
     */
    Cursor<T> open();

    // ---- sources

    /** The given items. @throws NullPointerException when a null item is reached */
    @SafeVarargs
    static <T> AsyncStream<T> of(T... items) {
        List<T> copy = Arrays.asList(items.clone());
        return () -> new Sources.OfIterator<>(copy.iterator());
    }

    /** No items. */
    static <T> AsyncStream<T> empty() {
        return () -> new Sources.OfIterator<>(List.<T>of().iterator());
    }

    /** The items of the iterable, read as the consumer pulls them (a new iterator per pass). */
    static <T> AsyncStream<T> fromIterable(Iterable<? extends T> items) {
        Objects.requireNonNull(items, "items");
        return () -> new Sources.OfIterator<>(items.iterator());
    }

    /**
     * The items a producer task emits, with a buffer of {@link #DEFAULT_BUFFER} items: see
     * {@link #generate(int, Generator)}.
     */
    static <T> AsyncStream<T> generate(Generator<T> generator) {
        return generate(DEFAULT_BUFFER, generator);
    }

    /**
     * The items a producer task emits. At the first pull the generator starts as a task on the consumer's loop, a
     * child of the consumer; {@link Emitter#emit} puts an item into a buffer of {@code bufferSize} and suspends the
     * producer while it is full (backpressure). The stream ends when the generator returns and fails with what it
     * throws, after the items emitted before. A consumer that stops early cancels the producer: {@code emit} throws
     * CancellationException, and the producer's {@code finally} blocks run on its own task before the consumer goes
     * on.
     *
     * @throws IllegalArgumentException if bufferSize is below 1
     */
    static <T> AsyncStream<T> generate(int bufferSize, Generator<T> generator) {
        positive(bufferSize, "generate", "bufferSize");
        Objects.requireNonNull(generator, "generator");
        return () -> new ProducerCursor<>(bufferSize, generator, "AsyncStream.generate");
    }

    /**
     * The items the consumer receives from the channel, one {@link Channel#receive()} per pull, until the channel is
     * closed and drained. No task of its own: the consumer's pull waits for the senders, who may be tasks of other
     * loops or threads. A consumer that stops early leaves the channel open and its items in it: the channel is shared,
     * and its owner closes it.
     */
    static <T> AsyncStream<T> fromChannel(Channel<T> channel) {
        Objects.requireNonNull(channel, "channel");
        return () -> new Sources.FromChannel<>(channel);
    }

    /**
     * The items of a {@link Flow.Publisher}, {@link #DEFAULT_BUFFER} at first: see {@link #fromPublisher(Flow.Publisher, int)}.
     */
    static <T> AsyncStream<T> fromPublisher(Flow.Publisher<? extends T> publisher) {
        return fromPublisher(publisher, DEFAULT_BUFFER);
    }

    /**
     * The items of a {@link Flow.Publisher}: subscribes at the first pull (once per pass), requests {@code prefetch}
     * items and then a batch of {@code prefetch / 2} each time that many were taken, so it never holds more than
     * {@code prefetch} unconsumed items. {@code onError} fails the stream (a checked error in a CompletionException);
     * closing the cursor cancels the subscription. Signals may come on any thread. A null signal, which Reactive
     * Streams §2.13 forbids, fails the stream with a NullPointerException naming the rule.
     *
     * @throws IllegalArgumentException if prefetch is below 1
     */
    static <T> AsyncStream<T> fromPublisher(Flow.Publisher<? extends T> publisher, int prefetch) {
        Objects.requireNonNull(publisher, "publisher");
        positive(prefetch, "fromPublisher", "prefetch");
        return () -> new PublisherCursor<>(publisher, prefetch);
    }

    /**
     * The bytes a connection's reader delivers, as chunks of at most the reader's limit, until the end of the stream.
     * Reads happen in the consumer's task; an I/O failure comes in a CompletionException. Closing the cursor leaves
     * the connection open.
     */
    static AsyncStream<byte[]> fromReader(StreamReader reader) {
        return fromReader(reader, reader.limit());
    }

    /**
     * {@link #fromReader(StreamReader)} with chunks of at most {@code maxChunk} bytes.
     *
     * @throws IllegalArgumentException if maxChunk is below 1
     */
    static AsyncStream<byte[]> fromReader(StreamReader reader, int maxChunk) {
        Objects.requireNonNull(reader, "reader");
        positive(maxChunk, "fromReader", "maxChunk");
        return () -> new Sources.FromReader<>(reader, Sources.chunks(maxChunk));
    }

    /** The lines a connection's reader delivers, UTF-8: see {@link #lines(StreamReader, Charset)}. */
    static AsyncStream<String> lines(StreamReader reader) {
        return lines(reader, StandardCharsets.UTF_8);
    }

    /**
     * The lines a connection's reader delivers, as {@link StreamReader#readLine(Charset)} reads them (without
     * terminators; an unterminated last line is a line). An I/O failure comes in a CompletionException (unlike
     * {@link StreamReader#lines()}, a java.util.stream, which uses UncheckedIOException as the JDK does).
     */
    static AsyncStream<String> lines(StreamReader reader, Charset charset) {
        Objects.requireNonNull(reader, "reader");
        Objects.requireNonNull(charset, "charset");
        return () -> new Sources.FromReader<>(reader, Sources.lines(charset));
    }

    /**
     * The items of all the streams as they come, each stream run by a task of its own, all at once.
     * A failure of one cancels the others and fails the merged stream.
     */
    @SafeVarargs
    static <T> AsyncStream<T> merge(AsyncStream<? extends T>... streams) {
        List<AsyncStream<? extends T>> all = List.of(streams);
        return AsyncStream.<AsyncStream<? extends T>>fromIterable(all).<T>flatMapMerge(Math.max(1, all.size()),
                stream -> stream);
    }

    // ---- operators in the consumer's task

    /** Each item through the function, in the consumer's task. @throws NullPointerException if it returns null */
    default <R> AsyncStream<R> map(ItemFunction<? super T, ? extends R> function) {
        Objects.requireNonNull(function, "function");
        return () -> new Mapping.Map<>(open(), function);
    }

    /** The items that pass the test. */
    default AsyncStream<T> filter(Predicate<? super T> test) {
        Objects.requireNonNull(test, "test");
        return () -> new Mapping.Filter<>(open(), test);
    }

    /**
     * The first {@code count} items; then the stream ends and the upstream is closed, its producers cancelled and
     * cleaned up, before {@code hasNext()} says so. It never waits for an item after the last one it passes.
     *
     * @throws IllegalArgumentException if count is negative
     */
    default AsyncStream<T> take(long count) {
        notNegative(count, "take");
        return () -> new Slicing.Take<>(open(), count);
    }

    /** All but the first {@code count} items. @throws IllegalArgumentException if count is negative */
    default AsyncStream<T> drop(long count) {
        notNegative(count, "drop");
        return () -> new Slicing.Drop<>(open(), count);
    }

    /**
     * The items up to the first that fails the test, which is dropped and ends the stream; the upstream is closed, its
     * producers cancelled and cleaned up, before {@code hasNext()} says so.
     */
    default AsyncStream<T> takeWhile(Predicate<? super T> test) {
        Objects.requireNonNull(test, "test");
        return () -> new Slicing.TakeWhile<>(open(), test);
    }

    /**
     * The items in lists of {@code size}, the last one possibly shorter.
     *
     * @throws IllegalArgumentException if size is below 1
     */
    default AsyncStream<List<T>> chunked(int size) {
        positive(size, "chunked", "size");
        return () -> new Chunking.BySize<>(open(), size);
    }

    /**
     * Pairs of items, one from each stream, combined by the function; it ends when either does, and then closes both
     * (the other one's producers cleaned up) before {@code hasNext()} says so. Both are pulled by the consumer's task,
     * this one first.
     */
    default <U, R> AsyncStream<R> zip(AsyncStream<U> other, BiFunction<? super T, ? super U, ? extends R> combine) {
        Objects.requireNonNull(other, "other");
        Objects.requireNonNull(combine, "combine");
        return () -> {
            Cursor<T> left = open();
            return new Zip<>(left, other.open(), combine);
        };
    }

    /**
     * On a failure (not a cancellation), close this stream and go on with the one the handler returns for the failure
     * (the original exception, not its CompletionException wrapper). The fallback's own failures are not handled.
     */
    default AsyncStream<T> onErrorResume(Function<? super Throwable, ? extends AsyncStream<T>> handler) {
        Objects.requireNonNull(handler, "handler");
        return () -> new Recovery.Resume<>(open(), handler);
    }

    /**
     * On a failure (not a cancellation), run this stream again from the start, at most {@code times} more times; the
     * items it passed before failing are passed again. The last failure is thrown when no retry is left.
     *
     * @throws IllegalArgumentException if times is negative
     */
    default AsyncStream<T> retry(int times) {
        notNegative(times, "retry");
        return () -> new Recovery.Retry<>(this, times);
    }

    /**
     * Run the action once, in the consumer's task, when the stream ends: with null at its end, with the failure it
     * throws, or with a {@link CancellationException} when the consumer closes it early (after the upstream has
     * closed, its producers cleaned up).
     */
    default AsyncStream<T> onCompletion(Consumer<? super Throwable> action) {
        Objects.requireNonNull(action, "action");
        return () -> new Recovery.OnCompletion<>(open(), action);
    }

    // ---- operators that run tasks

    /**
     * Run this stream in a producer task that stays up to {@code size} items ahead of the consumer.
     *
     * @throws IllegalArgumentException if size is below 1
     */
    default AsyncStream<T> buffer(int size) {
        positive(size, "buffer", "size");
        return () -> inProducer(this, size, "AsyncStream.buffer");
    }

    /**
     * The function applied to up to {@code limit} items at once, each in a task of its own; the results come in the
     * order of their items. A result done early waits for those before it, holding its slot, so at most {@code limit}
     * items are in hand. A failure cancels the other tasks and fails the stream.
     *
     * @throws IllegalArgumentException if limit is below 1
     */
    default <R> AsyncStream<R> mapConcurrent(int limit, ItemFunction<? super T, ? extends R> function) {
        positive(limit, "mapConcurrent", "limit");
        Objects.requireNonNull(function, "function");
        return () -> new ProducerCursor<>(limit, Concurrency.ordered(this, limit, function),
                "AsyncStream.mapConcurrent");
    }

    /**
     * {@link #mapConcurrent}, but each result passes as soon as it is done, whatever the order of the items.
     *
     * @throws IllegalArgumentException if limit is below 1
     */
    default <R> AsyncStream<R> mapConcurrentUnordered(int limit, ItemFunction<? super T, ? extends R> function) {
        positive(limit, "mapConcurrentUnordered", "limit");
        Objects.requireNonNull(function, "function");
        return () -> new ProducerCursor<>(limit, Concurrency.merged(this, limit,
                (T item, Emitter<R> emit) -> emit.emit(Mapping.apply(function, item, "mapConcurrentUnordered"))),
                "AsyncStream.mapConcurrentUnordered");
    }

    /**
     * Each item turned into a stream, up to {@code limit} of those streams run at once, each by a task of its own;
     * their items pass as they come. A failure of one cancels the others and fails the stream.
     *
     * @throws IllegalArgumentException if limit is below 1
     */
    default <R> AsyncStream<R> flatMapMerge(int limit, ItemFunction<? super T, ? extends AsyncStream<? extends R>> f) {
        positive(limit, "flatMapMerge", "limit");
        Objects.requireNonNull(f, "f");
        return () -> new ProducerCursor<>(limit, Concurrency.merged(this, limit,
                (T item, Emitter<R> emit) -> Mapping.apply(f, item, "flatMapMerge").forEach(emit::emit)),
                "AsyncStream.flatMapMerge");
    }

    /**
     * The items in lists, each passed when it holds {@code size} items or when {@code window} has passed since its
     * first item came, whichever is first. No list is empty; the last may be short.
     *
     * @throws IllegalArgumentException if size is below 1 or window is not positive
     */
    default AsyncStream<List<T>> chunked(int size, Duration window) {
        positive(size, "chunked", "size");
        long nanos = positiveNanos(window, "chunked");
        return () -> new Chunking.BySizeOrTime<>(inProducer(this, DEFAULT_BUFFER, "AsyncStream.chunked"), size, nanos);
    }

    /** {@link #chunked(int, Duration)} by time alone: the items that came within {@code window} of a list's first. */
    default AsyncStream<List<T>> chunked(Duration window) {
        return chunked(Integer.MAX_VALUE, window);
    }

    /**
     * Each item must come within {@code limit} of the consumer asking for it; otherwise the stream fails with a
     * {@link dev.weft.loop.DeadlineExceededException} naming the limit (and is closed, its producers cancelled).
     *
     * @throws IllegalArgumentException if limit is not positive
     */
    default AsyncStream<T> timeout(Duration limit) {
        long nanos = positiveNanos(limit, "timeout");
        return () -> new Timing.Timeout<>(inProducer(this, DEFAULT_BUFFER, "AsyncStream.timeout"), limit, nanos);
    }

    /**
     * An item passes only once {@code quiet} has passed without a newer one; the last item always passes, at the end.
     *
     * @throws IllegalArgumentException if quiet is not positive
     */
    default AsyncStream<T> debounce(Duration quiet) {
        long nanos = positiveNanos(quiet, "debounce");
        return () -> new Timing.Debounce<>(inProducer(this, DEFAULT_BUFFER, "AsyncStream.debounce"), nanos);
    }

    /**
     * At the end of each {@code period} (counted from the first pull), the latest item that came in it; a period
     * without one passes nothing, and an item still waiting when the stream ends is dropped.
     *
     * @throws IllegalArgumentException if period is not positive
     */
    default AsyncStream<T> sample(Duration period) {
        long nanos = positiveNanos(period, "sample");
        return () -> new Timing.Sample<>(inProducer(this, DEFAULT_BUFFER, "AsyncStream.sample"), nanos);
    }

    // ---- Flow

    /**
     * This stream as a {@link Flow.Publisher} whose subscribers each get their own run of it (it is cold), in a task
     * of the loop. It honours Reactive Streams: never more {@code onNext} than requested, nothing after
     * {@code cancel()}, exactly one terminal signal, {@code request(n)} with n &lt;= 0 answered with
     * {@code onError(IllegalArgumentException)} (§3.9). Signals come on the loop's thread. Subscribing to a closed
     * loop signals {@code onError} with its {@link dev.weft.loop.LoopClosedException}. Thread-safe.
     */
    default Flow.Publisher<T> toPublisher(EventLoop loop) {
        return new StreamPublisher<>(this, loop);
    }

    // ---- terminals: they run the stream in the calling task

    /**
     * Run the stream, passing each item to the action in this task. What the action throws comes out as itself; the
     * stream is closed however it ends.
     *
     * @throws E what the action throws
     */
    default <E extends Exception> void forEach(ItemAction<? super T, E> action) throws E {
        Objects.requireNonNull(action, "action");
        try (Cursor<T> cursor = open()) {
            while (cursor.hasNext()) {
                action.accept(cursor.next());
            }
        }
    }

    /** Run the stream and collect its items with the collector. */
    default <A, R> R collect(Collector<? super T, A, R> collector) {
        A container = collector.supplier().get();
        var accumulator = collector.accumulator();
        try (Cursor<T> cursor = open()) {
            while (cursor.hasNext()) {
                accumulator.accept(container, cursor.next());
            }
        }
        return collector.finisher().apply(container);
    }

    /** Run the stream and return its items, in an unmodifiable list. */
    default List<T> toList() {
        return collect(Collectors.toUnmodifiableList());
    }

    /** Run the stream and fold its items into the identity with the operator. */
    default T reduce(T identity, BinaryOperator<T> operator) {
        Objects.requireNonNull(operator, "operator");
        T result = identity; // a loop of its own, not collect(reducing(...)): StreamBench's pipeline ends here
        try (Cursor<T> cursor = open()) {
            while (cursor.hasNext()) {
                result = operator.apply(result, cursor.next());
            }
        }
        return result;
    }

    /** Run the stream and count its items. */
    default long count() {
        return collect(Collectors.counting());
    }

    /**
     * The first item; then the stream is closed, its producers cancelled.
     *
     * @throws NoSuchElementException if the stream ends without an item
     */
    default T first() {
        try (Cursor<T> cursor = open()) {
            if (!cursor.hasNext()) {
                throw new NoSuchElementException("first(): the stream ended without an item");
            }
            return cursor.next();
        }
    }

    // ---- argument checks and shared steps

    private static <T> ProducerCursor<T> inProducer(AsyncStream<T> upstream, int buffer, String name) {
        return new ProducerCursor<>(buffer, emit -> upstream.forEach(emit::emit), name);
    }

    private static void positive(long value, String operator, String parameter) {
        if (value < 1) {
            throw new IllegalArgumentException(operator + "(): " + parameter + " must be at least 1, got " + value);
        }
    }

    private static void notNegative(long value, String operator) {
        if (value < 0) {
            throw new IllegalArgumentException(operator + "(): the count must be 0 or more, got " + value);
        }
    }

    private static long positiveNanos(Duration duration, String operator) {
        Objects.requireNonNull(duration, "duration");
        if (duration.isNegative() || duration.isZero()) {
            throw new IllegalArgumentException(operator + "(): the duration must be positive, got " + duration);
        }
        return duration.compareTo(Duration.ofDays(365 * 100)) > 0 ? Duration.ofDays(365 * 100).toNanos()
                : duration.toNanos();
    }
}
