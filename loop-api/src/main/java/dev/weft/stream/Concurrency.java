package dev.weft.stream;

import dev.weft.loop.Task;
import dev.weft.scope.TaskGroup;
import dev.weft.sync.AsyncQueue;
import dev.weft.sync.QueueShutDownException;
import dev.weft.sync.Semaphore;

/**
 * The generators behind mapConcurrent and flatMapMerge (merge is a flatMapMerge of its streams). Each runs its tasks
 * in a {@link TaskGroup} inside the stream's producer task, so nothing outlives the consumer: closing the cursor
 * cancels the producer, which cancels the group. A failure of one task cancels the others and fails the stream with
 * that failure (Weft's exception rule: unchecked as itself, checked in a CompletionException).
 */
final class Concurrency {
    private Concurrency() {
    }

    /** The work one item becomes in a flatMapMerge: emit whatever it produces. */
    @FunctionalInterface
    interface ItemWork<T, R> {
        void run(T item, Emitter<R> emit);
    }

    /**
     * Up to {@code limit} items mapped at once, results passed on in the order of their items. A feeder task pulls the
     * upstream and starts one task per item, in order, while a slot is free; the producer awaits those tasks in order
     * and emits their results. A slot is freed when its result has been emitted, so results done early wait in their
     * slots and a slow item holds back at most {@code limit - 1} others.
     */
    static <T, R> Generator<R> ordered(AsyncStream<T> upstream, int limit, ItemFunction<? super T, ? extends R> f) {
        return emit -> TaskGroup.run(group -> {
            Semaphore slots = new Semaphore(limit);
            AsyncQueue<Task<R>> started = AsyncQueue.fifo(0); // never holds more than limit: the slots bound it
            group.spawn("mapConcurrent feeder", () -> {
                try {
                    upstream.forEach(item -> {
                        slots.acquire();
                        started.put(group.spawn(() -> Mapping.<T, R>apply(f, item, "mapConcurrent")));
                    });
                } finally {
                    started.shutdown();
                }
            });
            while (true) {
                Task<R> next;
                try {
                    next = started.get();
                } catch (QueueShutDownException allStarted) {
                    return null;
                }
                emit.emit(next.await());
                slots.release();
            }
        });
    }

    /** Up to {@code limit} items worked on at once, each by a task that emits as it goes: no order between items. */
    static <T, R> Generator<R> merged(AsyncStream<T> upstream, int limit, ItemWork<T, R> work) {
        return emit -> TaskGroup.run(group -> {
            Semaphore slots = new Semaphore(limit);
            upstream.forEach(item -> {
                slots.acquire();
                group.spawn(() -> {
                    try {
                        work.run(item, emit);
                    } finally {
                        slots.release();
                    }
                });
            });
            return null; // the group awaits the tasks still working
        });
    }
}
