package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.scope.Futures;
import dev.weft.scope.TaskContext;
import dev.weft.scope.TaskGroup;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.time.Duration;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** TaskContext: ScopedValue bindings that follow a task into the tasks it creates, and nowhere else. */
public abstract class TaskContextSuite extends LoopSuite {
    private static final ScopedValue<String> REQUEST = ScopedValue.newInstance();
    private static final ScopedValue<String> USER = ScopedValue.newInstance();

    private static String request() {
        return REQUEST.isBound() ? REQUEST.get() : "unbound";
    }

    @Test
    void childrenAndGrandchildrenSeeTheBindingTasksCreatedOutsideDoNot() {
        List<String> seen = run(() -> {
            Task<String> outside = Tasks.spawn(TaskContextSuite::request);
            Task<Task<String>> child = TaskContext.where(REQUEST, "r-1", () -> {
                assertEquals("r-1", REQUEST.get(), "bound for the body itself");
                return Tasks.spawn(() -> Tasks.spawn(TaskContextSuite::request));
            });
            Task<String> after = Tasks.spawn(TaskContextSuite::request);
            return List.of(child.await().await(), outside.await(), after.await(), request());
        });
        assertEquals(List.of("r-1", "unbound", "unbound", "unbound"), seen);
    }

    /** The binding is taken when the task is created, and stays across the child's awaits. */
    @Test
    void aChildKeepsTheBindingAfterTheBodyReturnedAndAcrossAwaits() {
        VirtualClock.install(loop);
        String seen = run(() -> {
            Task<String> child = TaskContext.where(REQUEST, "r-2", () -> Tasks.spawn(() -> {
                Async.sleep(Duration.ofSeconds(1));
                return request();
            }));
            return child.await();
        });
        assertEquals("r-2", seen);
    }

    @Test
    void everyWayOfCreatingATaskInheritsTheBinding() {
        List<String> seen = run(() -> TaskContext.where(REQUEST, "r-3", () -> {
            Task<String> created = loop.createTask(TaskContextSuite::request);
            String shielded = Futures.shield(TaskContextSuite::request).await();
            Task<String> grouped;
            try (TaskGroup group = TaskGroup.open()) {
                grouped = group.spawn(TaskContextSuite::request);
            }
            String ran = TaskGroup.run(group -> group.spawn(TaskContextSuite::request).await());
            return List.of(created.await(), shielded, grouped.result(), ran);
        }));
        assertEquals(List.of("r-3", "r-3", "r-3", "r-3"), seen);
    }

    @Test
    void nestedBindingsAddUpAndTheInnerValueOfAKeyWins() {
        List<String> seen = run(() -> TaskContext.where(REQUEST, "outer", () -> {
            Task<String> outerChild = Tasks.spawn(() -> request() + "/" + USER.isBound());
            Task<String> innerChild = TaskContext.where(USER, "ada", () -> TaskContext.where(REQUEST, "inner",
                    () -> Tasks.spawn(() -> request() + "/" + USER.get())));
            return List.of(outerChild.await(), innerChild.await(), request());
        }));
        assertEquals(List.of("outer/false", "inner/ada", "outer"), seen);
    }

    /** Documented limit: a plain ScopedValue.where binds for the current thread only, not for tasks created there. */
    @Test
    void aPlainScopedValueBindingDoesNotFollowIntoTasks() {
        String seen = run(() -> ScopedValue.where(REQUEST, "plain")
                .call(() -> Tasks.spawn(TaskContextSuite::request)).await());
        assertEquals("unbound", seen);
    }

    /** Bound around Loops.run, the binding follows into the main task and everything it starts. */
    @Test
    void aBindingAroundTheLoopFollowsIntoTheMainTask() {
        String seen = TaskContext.where(REQUEST, "main",
                () -> run(() -> Tasks.spawn(TaskContextSuite::request).await()));
        assertEquals("main", seen);
    }

    @Test
    void theBodysResultAndFailuresPassThrough() {
        IllegalStateException unchecked = new IllegalStateException("unchecked");
        IOException checked = new IOException("checked");
        assertSame(unchecked, assertThrows(IllegalStateException.class, () -> TaskContext.where(REQUEST, "x", () -> {
            throw unchecked;
        })));
        assertSame(checked, assertThrows(IOException.class, () -> TaskContext.where(REQUEST, "x", () -> {
            throw checked;
        })), "the body's own checked exception, as itself");
        boolean[] ran = {false};
        TaskContext.where(REQUEST, "x", () -> {
            ran[0] = REQUEST.get().equals("x");
        });
        assertEquals(true, ran[0]);
        assertFalse(REQUEST.isBound(), "unbound again after the body");
    }
}
