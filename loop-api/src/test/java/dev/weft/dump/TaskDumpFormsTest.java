package dev.weft.dump;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The text and JSON forms of dumps a loop would not give a test easily: very deep, and with hostile names. */
class TaskDumpFormsTest {
    private static TaskEntry task(String id, String name, String parent, String awaits) {
        return new TaskEntry(id, name, TaskState.SUSPENDED, parent, null, awaits, null, List.of());
    }

    private static TaskDump dumpOf(List<TaskEntry> tasks) {
        return new TaskDump(1, Instant.EPOCH, List.of(new LoopDump(1, "nio", "carried", true, true, tasks, List.of())));
    }

    /** Ten thousand tasks, each spawned by the one before and awaited by it: a tree ten thousand deep. */
    @Test
    @Timeout(30)
    void aChainOfTenThousandTasksIsDrawnWithoutOverflowingAndWithBoundedLines() {
        int depth = 10_000;
        List<TaskEntry> tasks = new ArrayList<>();
        for (int i = 1; i <= depth; i++) {
            tasks.add(task("1:" + i, "t" + i, i == 1 ? null : "1:" + (i - 1), i == depth ? null : "1:" + (i + 1)));
        }
        TaskDump dump = dumpOf(tasks);
        String text = dump.toText();
        List<String> lines = text.lines().toList();
        assertEquals(depth + 2, lines.size(), "a header, the loop, a line per task");
        assertTrue(lines.getLast().contains("t" + depth + " (1:" + depth + ")"), lines.getLast());
        assertTrue(lines.getLast().contains("[" + depth + "]"), "a line deeper than the indent says its depth");
        int longest = lines.stream().mapToInt(String::length).max().orElseThrow();
        assertTrue(longest < 4 * TextTree.MAX_INDENT + 100, "longest line: " + longest);
        String json = dump.toJson();
        assertTrue(json.contains("\"id\":\"1:" + depth + "\""));
    }

    @Test
    void controlCharactersInANameCannotDrawALineOfTheirOwn() {
        String name = "evil\n└── fake (1:9) running\r\t\u001b[31m\u2028end";
        String text = dumpOf(List.of(task("1:1", name, null, null))).toText();
        assertEquals(3, text.lines().count(), text);
        assertTrue(text.contains("evil\\n└── fake (1:9) running\\r\\t\\u001b[31m\\u2028end (1:1)"), text);
    }

    @Test
    void jsonEscapesQuotesControlsAndLoneSurrogatesAndKeepsOtherCharacters() {
        String name = "q\"b\\s/\n\u0000\u001f\u007fé漢\uD83D\uDE00 lone\uD800 and \uDC00";
        String json = dumpOf(List.of(task("1:1", name, null, null))).toJson();
        assertTrue(json.contains("\"name\":\"q\\\"b\\\\s/\\n\\u0000\\u001f\u007fé漢\uD83D\uDE00 lone\\ud800 and \\udc00\""),
                json);
        assertFalse(json.chars().anyMatch(c -> c < 0x20 && c != '\n'), "no raw control character but the last newline");
        assertEquals(json.length() - 1, json.indexOf('\n'), "the one raw newline ends the document");
    }
}
