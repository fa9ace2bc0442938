package dev.weft.scope;

import dev.weft.loop.Task;

import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletionException;

/**
 * Context that follows a task into the tasks it starts, as Python's {@code contextvars} do for asyncio tasks, built on
 * {@link ScopedValue}:
 *
 * <pre>{@code
 * static final ScopedValue<String> REQUEST_ID = ScopedValue.newInstance();
 *
 * TaskContext.where(REQUEST_ID, "r-42", () -> {
 *     Tasks.spawn(() -> log(REQUEST_ID.get()));   // the child sees "r-42", whenever it runs
 *     return handle(request);
 * });
 * }</pre>
 *
 * <p>{@link #where} binds the key for its body, exactly as {@code ScopedValue.where(key, value).call(body)}, and also
 * records the binding, so that every task the body creates ({@code Tasks.spawn}, {@code EventLoop.createTask},
 * {@link TaskGroup#spawn}, {@link Futures#shield(Callable)}) binds it again around its own body, on its own thread, and
 * passes it on to the tasks it creates in turn. A task takes the bindings current where it is created, even if it
 * runs after the body returned; a task created elsewhere sees none of them (so does one that
 * {@code EventLoop.submit} creates later on the loop thread). Nested calls add to the record, and an inner binding of
 * the same key wins.
 *
 * <p>A plain {@code ScopedValue.where(...)} binds for the current thread only: tasks do not inherit it, because a
 * task runs on a thread of its own and the JDK passes bindings on only to a StructuredTaskScope's forks. Bind through
 * this class what tasks must see.
 */
public final class TaskContext {
    private TaskContext() {
    }

    /**
     * Call the body with the key bound to the value, for it and for every task created while it runs; return what it
     * returns. Unchecked exceptions pass through; checked ones come in a {@link CompletionException}.
     */
    public static <T, R> R where(ScopedValue<T> key, T value, Callable<R> body) {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(body, "body");
        ScopedValue.Carrier recorded = Task.inheritedBindings();
        ScopedValue.Carrier bindings = recorded == null ? ScopedValue.where(key, value) : recorded.where(key, value);
        try {
            return Task.callInheriting(bindings, body);
        } catch (Exception e) {
            throw ScopeSupport.propagate(e);
        }
    }

    /** {@link #where(ScopedValue, Object, Callable)} for a body without a result. */
    public static <T> void where(ScopedValue<T> key, T value, Runnable body) {
        Objects.requireNonNull(body, "body");
        where(key, value, () -> {
            body.run();
            return null;
        });
    }
}
