package dev.weft.dump;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Draws a {@link TaskDump} as one tree per loop. Where a node goes: a task spawned into a scope under the scope, a
 * scope under the task that opened it; another task under the oldest task of its loop that awaits it, unless that
 * would close a cycle (tasks that await each other are deadlocked, and the text must still end), else under the task
 * that spawned it, else at the root. Every task line says what it awaits, so an edge the tree cannot show (an await
 * across loops, a second awaiter) is still there. The tree is walked with a stack of its own, not by recursion, and
 * indented at most {@link #MAX_INDENT} levels (deeper lines say their depth), so a chain of ten thousand tasks draws
 * neither a stack overflow nor lines of forty thousand spaces. Names are the program's: their control characters
 * are escaped, so a name with a newline cannot draw a line of its own.
 */
final class TextTree {
    /** Frames per task in the text; the JSON has them all. */
    private static final int FRAMES_SHOWN = 3;
    /** Levels of the tree drawn indented; deeper nodes are drawn at this depth, with their depth in the line. */
    static final int MAX_INDENT = 32;

    private final StringBuilder out = new StringBuilder(4096);
    private final Map<String, List<String>> children = new LinkedHashMap<>();
    private final Map<String, TaskEntry> tasks = new LinkedHashMap<>();
    private final Map<String, ScopeEntry> scopes = new LinkedHashMap<>();

    private TextTree() {
    }

    static String render(TaskDump dump) {
        TextTree text = new TextTree();
        int taskCount = dump.loops().stream().mapToInt(loop -> loop.tasks().size()).sum();
        text.out.append("Weft task dump of pid ").append(dump.pid()).append(" at ").append(dump.takenAt())
                .append(": ").append(plural(dump.loops().size(), "loop")).append(", ")
                .append(plural(taskCount, "task")).append('\n');
        for (LoopDump loop : dump.loops()) {
            text.loop(loop);
        }
        return text.out.toString();
    }

    private void loop(LoopDump loop) {
        tasks.clear();
        scopes.clear();
        children.clear();
        loop.tasks().forEach(task -> tasks.put(task.id(), task));
        loop.scopes().forEach(scope -> scopes.put(scope.id(), scope));
        Map<String, String> up = placement(loop);
        List<String> roots = new ArrayList<>();
        for (String node : nodes()) {
            String parent = up.get(node);
            (parent == null ? roots : children.computeIfAbsent(parent, p -> new ArrayList<>())).add(node);
        }
        out.append("loop ").append(loop.id()).append(" (").append(loop.backend()).append(", ")
                .append(loop.taskMode()).append(", ").append(loop.running() ? "running" : "idle")
                .append(loop.consistent() ? "" : ", did not answer: read while it ran, may be stale").append("), ")
                .append(plural(loop.tasks().size(), "task")).append('\n');
        draw(roots);
    }

    /** Scopes first, then tasks, each oldest first: the order siblings are drawn in. */
    private List<String> nodes() {
        List<String> nodes = new ArrayList<>(scopes.keySet());
        nodes.addAll(tasks.keySet());
        return nodes;
    }

    /** Each node's parent in the tree; absent for a root. */
    private Map<String, String> placement(LoopDump loop) {
        Map<String, String> up = new LinkedHashMap<>();
        for (ScopeEntry scope : loop.scopes()) {
            if (tasks.containsKey(scope.owner())) {
                up.put(scope.id(), scope.owner());
            }
        }
        for (TaskEntry task : loop.tasks()) {
            if (task.scope() != null && scopes.containsKey(task.scope())) {
                up.put(task.id(), task.scope());
            } else if (task.parent() != null && tasks.containsKey(task.parent())) {
                up.put(task.id(), task.parent());
            }
        }
        // A task another task of this loop awaits goes under the oldest awaiter, unless it is in a scope or that
        // would close a cycle.
        Set<String> claimed = new HashSet<>();
        for (TaskEntry awaiter : loop.tasks()) {
            TaskEntry awaited = awaiter.awaits() == null ? null : tasks.get(awaiter.awaits());
            if (awaited != null && awaited.scope() == null && !isAncestor(awaited.id(), awaiter.id(), up)
                    && claimed.add(awaited.id())) {
                up.put(awaited.id(), awaiter.id());
            }
        }
        return up;
    }

    private static boolean isAncestor(String candidate, String node, Map<String, String> up) {
        for (String at = node; at != null; at = up.get(at)) {
            if (at.equals(candidate)) {
                return true;
            }
        }
        return false;
    }

    /** A node still to draw: its indent, whether it is the last of its siblings, its depth (roots are 1). */
    private record Pending(String id, String indent, boolean last, int depth) {
    }

    private void draw(List<String> roots) {
        Deque<Pending> pending = new ArrayDeque<>();
        pushAll(pending, roots, "", 1);
        while (!pending.isEmpty()) {
            Pending at = pending.pop();
            String below = at.depth() < MAX_INDENT ? at.indent() + (at.last() ? "    " : "│   ") : at.indent();
            out.append(at.indent());
            if (at.depth() > MAX_INDENT) {
                out.append('[').append(at.depth()).append("] ");
            }
            out.append(at.last() ? "└── " : "├── ");
            List<String> kids = children.getOrDefault(at.id(), List.of());
            ScopeEntry scope = scopes.get(at.id());
            if (scope != null) {
                out.append(scope.kind()).append(' ').append(scope.id()).append(" of ")
                        .append(nameOf(scope.owner())).append(scope.joining() ? ", awaited" : ", open")
                        .append(": ").append(printable(scope.detail())).append('\n');
            } else {
                task(tasks.get(at.id()), below + (kids.isEmpty() ? "    " : "│   "));
            }
            pushAll(pending, kids, below, at.depth() + 1);
        }
    }

    /** Push siblings so that the first is popped first. */
    private static void pushAll(Deque<Pending> pending, List<String> siblings, String indent, int depth) {
        for (int i = siblings.size() - 1; i >= 0; i--) {
            pending.push(new Pending(siblings.get(i), indent, i == siblings.size() - 1, depth));
        }
    }

    private void task(TaskEntry task, String frameIndent) {
        out.append(printable(task.name())).append(" (").append(task.id()).append(") ").append(task.state().label());
        if (task.suspendedIn() != null) {
            out.append(" in ").append(task.suspendedIn().shortForm());
        }
        if (task.awaits() != null) {
            out.append(", awaiting ").append(scopes.containsKey(task.awaits()) ? "its " : "")
                    .append(nameOf(task.awaits()));
        }
        out.append('\n');
        List<Frame> frames = task.frames();
        for (int i = 0; i < Math.min(FRAMES_SHOWN, frames.size()); i++) {
            out.append(frameIndent).append("at ").append(frames.get(i)).append('\n');
        }
        if (frames.size() > FRAMES_SHOWN) {
            out.append(frameIndent).append("... ").append(frames.size() - FRAMES_SHOWN)
                    .append(" more in the JSON form\n");
        }
    }

    /** A node as another line names it: its name and id, or the bare id if it is not in this loop. */
    private String nameOf(String id) {
        if (id == null) {
            return "no task";
        }
        TaskEntry task = tasks.get(id);
        if (task != null) {
            return printable(task.name()) + " (" + id + ")";
        }
        ScopeEntry scope = scopes.get(id);
        return scope != null ? scope.kind() + " " + id : id;
    }

    /** The text with its control characters escaped as Java writes them: a name cannot break the tree's lines. */
    static String printable(String text) {
        StringBuilder escaped = null;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            boolean control = Character.getType(c) == Character.CONTROL || c == '\u2028' || c == '\u2029';
            if (control && escaped == null) {
                escaped = new StringBuilder(text.length() + 8).append(text, 0, i);
            }
            if (escaped != null) {
                switch (c) {
                    case '\n' -> escaped.append("\\n");
                    case '\r' -> escaped.append("\\r");
                    case '\t' -> escaped.append("\\t");
                    default -> escaped.append(control ? String.format("\\u%04x", (int) c) : String.valueOf(c));
                }
            }
        }
        return escaped == null ? text : escaped.toString();
    }

    private static String plural(int n, String noun) {
        return n + " " + noun + (n == 1 ? "" : "s");
    }
}
