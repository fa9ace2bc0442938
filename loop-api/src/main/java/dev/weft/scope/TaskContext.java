package dev.weft.scope;

import dev.weft.loop.Body;
import dev.weft.loop.Task;
import dev.weft.loop.VoidBody;

import java.util.Objects;

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
 * {@link TaskGroup#spawn}, {@link Futures#shield(Body)}) binds it again around its own body, on its own thread, and
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
     * returns. The body's exceptions come out as themselves.
     *
     * @throws E what the body throws
     */
    public static <T, R, E extends Exception> R where(ScopedValue<T> key, T value, Body<R, E> body) throws E {
        Objects.requireNonNull(key, "key");
        Objects.requireNonNull(body, "body");
        ScopedValue.Carrier recorded = Task.inheritedBindings();
        ScopedValue.Carrier bindings = recorded == null ? ScopedValue.where(key, value) : recorded.where(key, value);
        return Task.callInheriting(bindings, body);
    }

    /** {@link #where(ScopedValue, Object, Body)} for a body without a value. */
    public static <T, E extends Exception> void where(ScopedValue<T> key, T value, VoidBody<E> body) throws E {
        where(key, value, Objects.requireNonNull(body, "body").returningNull());
    }
}
