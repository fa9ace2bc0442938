package dev.weft.testkit;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Tasks;

import java.util.List;
import java.util.Set;
import java.util.stream.IntStream;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** What {@link AsyncStreamSuite} and {@link FlowInteropSuite} share. */
final class StreamChecks {
    private StreamChecks() {
    }

    /** The integers from {@code from} (inclusive) to {@code to} (exclusive). */
    static List<Integer> range(int from, int to) {
        return IntStream.range(from, to).boxed().toList();
    }

    /** The calling task must be the only one of the loop left: the streams it ran left none behind. */
    static void assertOnlyThisTaskLeft(EventLoop loop) {
        assertEquals(Set.of(Tasks.current().orElseThrow()), loop.allTasks(), "tasks left behind by the stream");
    }
}
