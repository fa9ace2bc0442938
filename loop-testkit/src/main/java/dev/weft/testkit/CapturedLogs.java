package dev.weft.testkit;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The log records Weft writes (the {@code dev.weft} loggers, through {@code System.Logger} and java.util.logging) while
 * it is open, at every level: for tests of what a condition costs in the log. Close it to stop capturing.
 */
public final class CapturedLogs extends Handler implements AutoCloseable {
    private final Logger root = Logger.getLogger("dev.weft");
    private final Level before = root.getLevel();
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();

    public CapturedLogs() {
        setLevel(Level.ALL);
        root.setLevel(Level.ALL);
        root.addHandler(this);
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
    }

    /** The records above {@code level} (WARNING and SEVERE above FINE, say), as one line each with its stack, if any. */
    public List<String> above(Level level) {
        return records.stream().filter(r -> r.getLevel().intValue() > level.intValue()).map(CapturedLogs::line).toList();
    }

    /** Every record, as one line each. */
    public List<String> all() {
        return records.stream().map(CapturedLogs::line).toList();
    }

    /** The records that carry a stack trace. */
    public List<String> withStackTraces() {
        return records.stream().filter(r -> r.getThrown() != null).map(CapturedLogs::line).toList();
    }

    private static String line(LogRecord record) {
        String message = record.getMessage();
        if (record.getParameters() != null) {
            message = java.text.MessageFormat.format(message, record.getParameters());
        }
        return record.getLevel() + " " + record.getLoggerName() + ": " + message
                + (record.getThrown() == null ? "" : " [with stack: " + record.getThrown() + "]");
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        root.removeHandler(this);
        root.setLevel(before);
    }
}
