package dev.weft.dump;

import java.util.List;
import java.util.function.Consumer;

/**
 * Writes a {@link TaskDump} as JSON (see the package comment for why by hand). Absent values are written as
 * {@code null}, so every object has all its fields and a reader need not guess.
 */
final class JsonForm {
    private final StringBuilder out = new StringBuilder(4096);

    private JsonForm() {
    }

    static String render(TaskDump dump) {
        JsonForm json = new JsonForm();
        json.dump(dump);
        return json.out.toString();
    }

    private void dump(TaskDump dump) {
        out.append("{\"format\":").append(string(TaskDump.FORMAT))
                .append(",\"pid\":").append(dump.pid())
                .append(",\"takenAt\":").append(string(dump.takenAt().toString()))
                .append(",\"loops\":[");
        list(dump.loops(), this::loop);
        out.append("]}\n");
    }

    private void loop(LoopDump loop) {
        out.append("{\"id\":").append(loop.id())
                .append(",\"backend\":").append(string(loop.backend()))
                .append(",\"taskMode\":").append(string(loop.taskMode()))
                .append(",\"running\":").append(loop.running())
                .append(",\"consistent\":").append(loop.consistent())
                .append(",\"tasks\":[");
        list(loop.tasks(), this::task);
        out.append("],\"scopes\":[");
        list(loop.scopes(), this::scope);
        out.append("]}");
    }

    private void task(TaskEntry task) {
        out.append("{\"id\":").append(string(task.id()))
                .append(",\"name\":").append(string(task.name()))
                .append(",\"state\":").append(string(task.state().label()))
                .append(",\"parent\":").append(string(task.parent()))
                .append(",\"scope\":").append(string(task.scope()))
                .append(",\"awaits\":").append(string(task.awaits()))
                .append(",\"suspendedIn\":");
        if (task.suspendedIn() == null) {
            out.append("null");
        } else {
            frame(task.suspendedIn());
        }
        out.append(",\"frames\":[");
        list(task.frames(), this::frame);
        out.append("]}");
    }

    private void scope(ScopeEntry scope) {
        out.append("{\"id\":").append(string(scope.id()))
                .append(",\"kind\":").append(string(scope.kind()))
                .append(",\"owner\":").append(string(scope.owner()))
                .append(",\"joining\":").append(scope.joining())
                .append(",\"detail\":").append(string(scope.detail()))
                .append('}');
    }

    private void frame(Frame frame) {
        out.append("{\"class\":").append(string(frame.className()))
                .append(",\"method\":").append(string(frame.method()))
                .append(",\"file\":").append(string(frame.file()))
                .append(",\"line\":").append(frame.line() >= 0 ? Integer.toString(frame.line()) : "null")
                .append('}');
    }

    private <T> void list(List<T> items, Consumer<T> write) {
        for (int i = 0; i < items.size(); i++) {
            if (i > 0) {
                out.append(',');
            }
            write.accept(items.get(i));
        }
    }

    /**
     * A JSON string literal, or null: RFC 8259's escapes, control characters as \\u00XX, and a lone surrogate (a
     * name cut in the middle of a character) as \\uDXXX, which every reader takes, where its raw form turns into
     * {@code ?} or an error when the dump is encoded as UTF-8.
     */
    static String string(String value) {
        if (value == null) {
            return "null";
        }
        StringBuilder literal = new StringBuilder(value.length() + 2).append('"');
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            switch (c) {
                case '"' -> literal.append("\\\"");
                case '\\' -> literal.append("\\\\");
                case '\n' -> literal.append("\\n");
                case '\r' -> literal.append("\\r");
                case '\t' -> literal.append("\\t");
                default -> {
                    if (c < 0x20 || Character.isSurrogate(c) && !pairedAt(value, i)) {
                        literal.append(String.format("\\u%04x", (int) c));
                    } else {
                        literal.append(c);
                    }
                }
            }
        }
        return literal.append('"').toString();
    }

    /** Whether the surrogate at {@code i} is half of a well-formed pair. */
    private static boolean pairedAt(String value, int i) {
        char c = value.charAt(i);
        return Character.isHighSurrogate(c) ? i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))
                : i > 0 && Character.isHighSurrogate(value.charAt(i - 1));
    }
}
