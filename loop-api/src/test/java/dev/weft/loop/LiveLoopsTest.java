package dev.weft.loop;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import dev.weft.scope.TaskGroup;

import java.lang.ref.WeakReference;
import java.util.Arrays;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Which loops a task dump of the process lists: those that have run and are not closed, never a half-built one. */
@Timeout(30)
class LiveLoopsTest {
    /** A backend whose own part of the constructor fails (a selector not opened: too many open files, say). */
    private static final class HalfBuilt extends BareLoop {
        static AbstractEventLoop kept; // as if the garbage collector had not run yet

        HalfBuilt() {
            super("half-built");
            kept = this;
            throw new IllegalStateException("cannot open the backend");
        }
    }

    private static long listed(String backend) {
        return Loops.dump().loops().stream().filter(loop -> loop.backend().equals(backend)).count();
    }

    /**
     * Neither the registry nor the MBean keeps a loop that ran a group of tasks and closed, nor its tasks: after it
     * is dropped the collector takes them.
     */
    @Test
    void aClosedLoopAndItsTasksAreNotKeptForDumps() {
        WeakReference<?>[] refs = runAGroupAndClose();
        for (int i = 0; i < 100 && Arrays.stream(refs).anyMatch(ref -> ref.get() != null); i++) {
            System.gc(); // no event says an object became unreachable: ask the collector until it has run
        }
        assertTrue(Arrays.stream(refs).allMatch(ref -> ref.get() == null), "the loop or one of its tasks was kept");
    }

    private static WeakReference<?>[] runAGroupAndClose() {
        BareLoop loop = new BareLoop("dropped");
        Task<?>[] child = new Task<?>[1];
        Task<Void> main = loop.createTask("main", () -> {
            try (TaskGroup group = TaskGroup.open()) {
                child[0] = group.spawn("child", () -> {
                    assertEquals(1, listed("dropped"));
                });
            }
        });
        loop.runUntilComplete(main);
        loop.close();
        return new WeakReference<?>[] {new WeakReference<>(loop), new WeakReference<>(main),
            new WeakReference<>(child[0])};
    }

    @Test
    void aLoopWhoseConstructorFailedIsInNoDump() {
        assertThrows(IllegalStateException.class, HalfBuilt::new);
        assertEquals(0, listed("half-built"), Loops.dump().toText());
    }

    @Test
    void aLoopIsListedOnceItRunsAndNoLongerOnceClosed() {
        BareLoop loop = new BareLoop("bare");
        assertEquals(1L, loop.runUntilComplete(loop.createTask("count", () -> listed("bare"))),
                "a running loop is listed");
        assertEquals(1, listed("bare"), "and one that ran, while it is open");
        loop.close();
        assertEquals(0, listed("bare"), "a closed one is not");
        assertTrue(Loops.dump(loop).loops().isEmpty());
    }
}
