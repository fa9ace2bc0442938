package dev.weft.loop;

import sun.misc.Signal;
import sun.misc.SignalHandler;

import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.RejectedExecutionException;

/**
 * The process's signal handlers as Weft installs them: one JVM handler per signal ({@code sun.misc.Signal}, module
 * {@code jdk.unsupported}), which hands each delivery to every loop that asked for the signal
 * ({@link EventLoop#addSignalHandler}) through the loop's thread-safe {@code callSoonThreadsafe}, or, when no loop has,
 * to a fallback ({@link MainSignals}: {@code Loops.run} cancelling its main task). The JVM handler is installed when
 * the first user of a signal comes and the handler it replaced is put back when the last one goes — unless someone
 * replaced Weft's meanwhile, whose handler is then left in place.
 *
 * <p>The JVM runs a signal's handler on a thread of its own, started per delivery; nothing here runs user code on it.
 * Thread-safe: the table is guarded by the class's lock.
 */
final class SignalHandlers {
    private static final System.Logger LOG = System.getLogger("dev.weft.loop");

    /** Signals Weft refuses, and why: they cannot be caught, or the JVM itself depends on them. */
    private static final Map<String, String> RESERVED = Map.ofEntries(
            Map.entry("KILL", "no process can catch it"),
            Map.entry("STOP", "no process can catch it"),
            Map.entry("QUIT", "the JVM prints a thread dump on it (kill -3, jstack)"),
            Map.entry("USR2", "HotSpot suspends and resumes threads with it"),
            Map.entry("SEGV", "the JVM uses it for its own checks and crash reports"),
            Map.entry("BUS", "the JVM uses it for its own checks and crash reports"),
            Map.entry("FPE", "the JVM uses it for its own checks and crash reports"),
            Map.entry("ILL", "the JVM uses it for its own checks and crash reports"),
            Map.entry("TRAP", "the JVM uses it for its own checks on some platforms"),
            Map.entry("PIPE", "the JVM ignores it so that a write to a closed socket throws an IOException instead"),
            Map.entry("XFSZ", "the JVM ignores it so that a write past the file size limit throws an IOException"));
    private static final String REMEDY = "handle another signal, such as HUP, USR1, WINCH or ALRM";

    private static final Map<String, Installed> INSTALLED = new HashMap<>(); // by signal name, guarded by the class

    private SignalHandlers() {
    }

    /**
     * The signal a name means: as {@code kill -l} prints it, with or without {@code SIG}, in any case.
     *
     * @throws IllegalArgumentException for an unknown or reserved signal, naming why and what to use instead
     */
    static Signal signal(String name) {
        String bare = name.strip().toUpperCase(Locale.ROOT);
        if (bare.startsWith("SIG")) {
            bare = bare.substring(3);
        }
        String reason = RESERVED.get(bare);
        if (reason != null) {
            throw new IllegalArgumentException("SIG" + bare + " cannot have a handler: " + reason + "; " + REMEDY);
        }
        try {
            return new Signal(bare);
        } catch (IllegalArgumentException unknown) {
            throw new IllegalArgumentException("unknown signal '" + name + "': name one of this platform's signals as "
                    + "kill -l lists them, with or without SIG (HUP, USR1, SIGWINCH...)", unknown);
        }
    }

    /**
     * Run the handler on the loop at every delivery of the signal, instead of the loop's earlier one.
     *
     * @throws LoopClosedException if the loop is closed: checked under this class's lock, which the loop's close()
     *                             takes after marking itself closed, so no entry can outlive the loop
     */
    static synchronized void add(AbstractEventLoop loop, String name, Runnable handler) {
        Signal signal = signal(name);
        if (loop.isClosed()) {
            throw new LoopClosedException("the " + loop.backendName() + " event loop is closed: it takes no signal "
                    + "handler");
        }
        Installed installed = install(signal);
        installed.loops.put(loop, handler);
        if (!installed.active) {
            LOG.log(Level.WARNING, "weft: " + installed + " was ignored when this JVM started (nohup, or a background "
                    + "job of a non-interactive shell), and the JVM keeps it ignored: the handler of " + loop
                    + " will not run; start the JVM with the signal at its default to receive it");
        }
    }

    /** Take the loop's handler of the signal away; whether it had one. */
    static synchronized boolean remove(AbstractEventLoop loop, String name) {
        Signal signal = signal(name);
        Installed installed = INSTALLED.get(signal.getName());
        if (installed == null || installed.loops.remove(loop) == null) {
            return false;
        }
        uninstallIfUnused(installed);
        return true;
    }

    /** Take every handler of the loop away: it is closing. */
    static synchronized void removeAll(AbstractEventLoop loop) {
        for (Installed installed : List.copyOf(INSTALLED.values())) {
            if (installed.loops.remove(loop) != null) {
                uninstallIfUnused(installed);
            }
        }
    }

    /**
     * Make {@code fallback} handle the signal while no loop has a handler for it. Returns false, and installs nothing,
     * if the JVM does not let the signal reach Java: it was ignored when the JVM started, or the JVM runs with
     * {@code -Xrs}.
     */
    static synchronized boolean setFallback(String name, SignalHandler fallback) {
        Signal signal = signal(name);
        Installed installed;
        try {
            installed = install(signal);
        } catch (IllegalArgumentException refusedByJvm) {
            return false; // -Xrs: the JVM leaves SIGINT, SIGTERM and SIGHUP to the operating system
        }
        if (!installed.active) {
            uninstallIfUnused(installed);
            return false;
        }
        installed.fallback = fallback;
        return true;
    }

    /** Remove the fallback of the signal, if it is this one. */
    static synchronized void clearFallback(String name, SignalHandler fallback) {
        Installed installed = INSTALLED.get(signal(name).getName());
        if (installed != null && installed.fallback == fallback) {
            installed.fallback = null;
            uninstallIfUnused(installed);
        }
    }

    /** Weft's JVM handler of the signal, installed now if it is not yet. */
    private static Installed install(Signal signal) {
        Installed installed = INSTALLED.get(signal.getName());
        if (installed != null) {
            return installed;
        }
        try {
            installed = new Installed(signal);
        } catch (IllegalArgumentException refused) {
            throw new IllegalArgumentException(described(signal) + " cannot have a handler in this JVM: it leaves the "
                    + "signal to the operating system (it runs with -Xrs, or uses the signal itself); start it "
                    + "without -Xrs, or " + REMEDY, refused);
        }
        INSTALLED.put(signal.getName(), installed);
        return installed;
    }

    private static void uninstallIfUnused(Installed installed) {
        if (installed.loops.isEmpty() && installed.fallback == null) {
            INSTALLED.remove(installed.signal.getName());
            installed.restore();
        }
    }

    private static String described(Signal signal) {
        return "SIG" + signal.getName();
    }

    /** Weft's JVM handler of one signal, and who it hands deliveries to. */
    private static final class Installed implements SignalHandler {
        final Signal signal;
        final SignalHandler previous;
        /** False if the JVM kept the signal ignored: ignored at the JVM's start, so no handler of ours will run. */
        final boolean active;
        final Map<AbstractEventLoop, Runnable> loops = new LinkedHashMap<>();
        SignalHandler fallback;

        /** @throws IllegalArgumentException if the JVM refuses to let Java handle the signal */
        Installed(Signal signal) {
            this.signal = signal;
            this.previous = Signal.handle(signal, this);
            // The JVM does not replace SIG_IGN for SIGHUP, SIGINT and SIGTERM: it returns SIG_IGN and installs
            // nothing. Asking again tells: it answers with this handler only if this handler is in place.
            this.active = Signal.handle(signal, this) == this;
        }

        @Override
        public void handle(Signal delivered) {
            List<Map.Entry<AbstractEventLoop, Runnable>> targets;
            SignalHandler otherwise;
            synchronized (SignalHandlers.class) {
                targets = new ArrayList<>(loops.entrySet());
                otherwise = fallback;
            }
            if (targets.isEmpty()) {
                if (otherwise != null) {
                    otherwise.handle(delivered);
                }
                return;
            }
            for (Map.Entry<AbstractEventLoop, Runnable> target : targets) {
                try {
                    target.getKey().callSoonThreadsafe(target.getValue());
                } catch (LoopClosedException | RejectedExecutionException closing) {
                    // the loop is closing: its handlers go with it
                }
            }
        }

        /** Put back the handler this one replaced, unless someone replaced this one meanwhile. */
        void restore() {
            SignalHandler current = Signal.handle(signal, previous);
            if (current != this && active) {
                Signal.handle(signal, current); // not ours any more: leave whoever installed it in charge
            }
        }

        @Override
        public String toString() {
            return described(signal);
        }
    }
}
