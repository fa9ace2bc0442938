package dev.weft.testkit;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Predicate;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Every record of one logger and its children ({@code "dev.weft"}: all of Weft) while it is open, at every level, as
 * the JDK's logging delivers them ({@code System.Logger} goes to java.util.logging when it is present). Records still
 * reach the logger's other handlers. Thread-safe: records come from whichever thread logs. Public for the tests of
 * other modules (the HTTP client's, the samples').
 */
public final class LogCapture extends Handler implements AutoCloseable {
    private static final SimpleFormatter FORMATTER = new SimpleFormatter();

    private final Logger logger; // held: the JDK keeps loggers only weakly
    private final Level savedLevel;
    private final List<LogRecord> records = new CopyOnWriteArrayList<>();
    private final List<Waiter> waiters = new CopyOnWriteArrayList<>();

    private LogCapture(Logger logger) {
        this.logger = logger;
        this.savedLevel = logger.getLevel();
        setLevel(Level.ALL);
    }

    /** Capture the named logger's records, FINE ones too, until closed. */
    public static LogCapture of(String name) {
        LogCapture capture = new LogCapture(Logger.getLogger(name));
        capture.logger.setLevel(Level.ALL);
        capture.logger.addHandler(capture);
        // A record's time is formatted with the JDK's time-zone data, read from a file on first use: read it now, so
        // that formatting a record while descriptors are exhausted does not fail (and stop the console's logging).
        FORMATTER.format(new LogRecord(Level.INFO, "warm-up"));
        return capture;
    }

    /** The record's message with its parameters filled in. */
    public static String text(LogRecord record) {
        return FORMATTER.formatMessage(record);
    }

    /** Completes with the first record, captured already or to come, that matches. */
    public CompletableFuture<LogRecord> first(Predicate<LogRecord> matching) {
        Waiter waiter = new Waiter(matching, new CompletableFuture<>());
        waiters.add(waiter);
        for (LogRecord record : records) {
            if (matching.test(record)) {
                waiter.found().complete(record);
            }
        }
        return waiter.found();
    }

    /** The records captured so far that match, in order. */
    public List<LogRecord> records(Predicate<LogRecord> matching) {
        List<LogRecord> found = new ArrayList<>();
        for (LogRecord record : records) {
            if (matching.test(record)) {
                found.add(record);
            }
        }
        return found;
    }

    @Override
    public void publish(LogRecord record) {
        records.add(record);
        for (Waiter waiter : waiters) {
            if (!waiter.found().isDone() && waiter.matching().test(record)) {
                waiter.found().complete(record);
            }
        }
    }

    @Override
    public void flush() {
    }

    @Override
    public void close() {
        logger.removeHandler(this);
        logger.setLevel(savedLevel);
    }

    private record Waiter(Predicate<LogRecord> matching, CompletableFuture<LogRecord> found) {
    }
}
