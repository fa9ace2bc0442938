package dev.weft.loop;

import java.time.ZoneId;
import java.util.logging.Formatter;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Loads, while the process still has file descriptors, what the JDK's logging would otherwise load at its first
 * record. The JDK's {@code SimpleFormatter} puts every record's time in the default zone, so the first record reads
 * the time-zone rules ({@code lib/tzdb.dat}); if that open fails with EMFILE, the JDK's time-zone classes fail their
 * initialization for good, and from then on every record throws into the code that logs it. A server's first
 * record is often an accept failing for want of descriptors, which is exactly when that open fails. The loop core
 * and the {@code weft} command line call {@link #ensure()} before any loop serves.
 */
public final class LoggingWarmUp {
    private LoggingWarmUp() {
    }

    /** Prepare logging once per JVM; later calls return at once. Never throws: a failure is said once on stderr. */
    public static void ensure() {
        Done.touch();
    }

    private static final class Done {
        static {
            Throwable failure = warmUp();
            if (failure != null) {
                // Logging may be what failed, so say it where it still works.
                System.err.println("weft: could not load what the JDK's logging needs (" + failure
                        + "); later log records may be lost or throw. Start the JVM with more file descriptors"
                        + " (ulimit -n) or fewer open files.");
            }
        }

        static void touch() {
        }
    }

    private static Throwable warmUp() {
        try {
            // Every System.Logger backend of the JDK (java.util.logging, or the simple console logger of a runtime
            // without it) stamps records with a time in the default zone.
            ZoneId.systemDefault().getRules();
            System.getLogger("dev.weft.loop").isLoggable(System.Logger.Level.TRACE); // finds the LoggerFinder
            if (ModuleLayer.boot().findModule("java.logging").isPresent()) {
                formatOnce();
            }
            return null;
        } catch (VirtualMachineError e) {
            throw e;
        } catch (RuntimeException | Error e) {
            return e;
        }
    }

    /**
     * Reads the logging configuration, makes the root handlers, and formats one record with each handler's formatter
     * without publishing it: the level's localized name, the message format, the date and a stack trace all load
     * their classes and data now.
     */
    private static void formatOnce() {
        LogRecord record = new LogRecord(Level.WARNING, "weft: logging warm-up {0}");
        record.setParameters(new Object[] {1});
        record.setLoggerName("dev.weft.loop");
        record.setThrown(new IllegalStateException("not logged"));
        for (Handler handler : Logger.getLogger("").getHandlers()) {
            Formatter formatter = handler.getFormatter();
            if (formatter != null) {
                formatter.format(record);
            }
        }
    }
}
