package dev.weft.loop;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Whether Weft may and can handle signals in this JVM, decided without touching {@code sun.misc.Signal}: the classes
 * that use it ({@link MainSignals}, {@link SignalHandlers}) fail to load in a runtime image built by {@code jlink}
 * without the module {@code jdk.unsupported}, so they are reached only through here.
 */
final class SignalSupport {
    /** {@code -Dweft.signals=false}: leave SIGINT and SIGTERM to the JVM, for applications that handle them. */
    static final String PROPERTY = "weft.signals";
    private static final String MODULE = "jdk.unsupported";
    private static final System.Logger LOG = System.getLogger("dev.weft.loop");
    private static final boolean AVAILABLE = ModuleLayer.boot().findModule(MODULE).isPresent();
    private static final AtomicBoolean MISSING_LOGGED = new AtomicBoolean();

    private SignalSupport() {
    }

    /**
     * Whether {@link Loops#run} should turn SIGINT and SIGTERM into the cancellation of its main task: the property
     * allows it and the JVM can. Says once, at INFO, when only the missing module stands in the way.
     */
    static boolean mainSignalsWanted() {
        if (!enabled(System.getProperty(PROPERTY))) {
            return false;
        }
        if (!AVAILABLE && MISSING_LOGGED.compareAndSet(false, true)) {
            LOG.log(Level.INFO, "weft: this runtime image has no module " + MODULE + " (sun.misc.Signal), so "
                    + "Loops.run leaves SIGINT and SIGTERM to the JVM, which ends the process at once without running "
                    + "finally blocks; add it to the image (jlink --add-modules " + MODULE + "), or run with -D"
                    + PROPERTY + "=false to say that is meant");
        }
        return AVAILABLE;
    }

    /**
     * The value of {@code -Dweft.signals}: "true" or "false" in any case, blanks around ignored; absent is true.
     * Anything else is a slip (a "1" or "yes" meant as true would otherwise read as false): a warning names it, and
     * it counts as true, the default.
     */
    static boolean enabled(String value) {
        if (value == null || value.strip().equalsIgnoreCase("true")) {
            return true;
        }
        if (value.strip().equalsIgnoreCase("false")) {
            return false;
        }
        LOG.log(Level.WARNING, "weft: -D" + PROPERTY + "='" + value + "' is neither true nor false; taking it as "
                + "true, so Loops.run cancels its main task on SIGINT and SIGTERM; write -D" + PROPERTY
                + "=false to leave them to the JVM");
        return true;
    }

    /** Whether {@code sun.misc.Signal} is there: the module {@code jdk.unsupported} is in the runtime image. */
    static boolean available() {
        return AVAILABLE;
    }

    /** @throws UnsupportedOperationException naming the missing module and the remedy, if it is missing */
    static void checkAvailable(String operation) {
        if (!AVAILABLE) {
            throw new UnsupportedOperationException(operation + " needs the module " + MODULE + " (sun.misc.Signal, "
                    + "the JDK's only signal API), which this runtime image lacks; add it to the image (jlink "
                    + "--add-modules " + MODULE + ")");
        }
    }
}
