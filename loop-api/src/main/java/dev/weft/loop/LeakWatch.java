package dev.weft.loop;

import java.lang.System.Logger.Level;
import java.lang.ref.Cleaner;
import java.util.List;
import java.util.Set;

/**
 * In debug mode, a warning with where it was opened for a resource (a transport, a server, a session) left open: one
 * that became garbage unclosed (seen by a {@link Cleaner}), or one still open when its loop closed (a connection or a
 * listening server stays reachable from its loop, so only the loop's close can tell it was forgotten). A resource
 * calls {@link #open} when it is made and {@link #closed()} when it closes; outside debug mode {@code open} returns a
 * shared handle that does nothing, so the resource pays one branch. For library authors: how a resource of one's own
 * joins in.
 */
public final class LeakWatch {
    private static final LeakWatch OFF = new LeakWatch(null);

    private final Leak leak; // null: not watched

    private LeakWatch(Leak leak) {
        this.leak = leak;
    }

    /**
     * Start watching a resource just opened on this loop, if the loop is in debug mode.
     *
     * @param what the resource in the warning, such as "HTTP session"; it must not refer to the resource, or the
     *             resource would never become garbage
     */
    public static LeakWatch open(EventLoop loop, Object resource, String what) {
        if (!(loop instanceof AbstractEventLoop core) || core.debug() == null) {
            return OFF;
        }
        Leak leak = new Leak(core.debug().openResources, what, StackFrames.capture());
        leak.open.add(leak);
        Watcher.CLEANER.register(resource, leak);
        return new LeakWatch(leak);
    }

    /** The resource was closed: nothing to warn of. Thread-safe; idempotent. */
    public void closed() {
        if (leak != null) {
            leak.open.remove(leak);
        }
    }

    /** Whether the resource is watched (its loop was in debug mode when it opened): a name worth building. */
    public boolean watching() {
        return leak != null;
    }

    /** Name the resource anew in the warning, once it knows more of itself (a connection its addresses). */
    public void rename(String what) {
        if (leak != null) {
            leak.what = what;
        }
    }

    /** Warn of each resource of a closing loop still open. */
    static void loopClosing(Set<Leak> open) {
        for (Leak leak : List.copyOf(open)) {
            leak.warn("was still open when its loop closed");
        }
    }

    /** The cleaner, made (with its thread) when the first resource is watched: nothing runs while debug mode is off. */
    private static final class Watcher {
        static final Cleaner CLEANER = Cleaner.create(work -> Thread.ofPlatform().daemon().name("weft-leak-watch")
                .unstarted(work));
    }

    /** One watched resource, without a reference to it: what the warning needs, and the loop's set it is listed in. */
    static final class Leak implements Runnable {
        private final Set<Leak> open;
        private volatile String what;
        private final Throwable openedAt;

        Leak(Set<Leak> open, String what, Throwable openedAt) {
            this.open = open;
            this.what = what;
            this.openedAt = openedAt;
        }

        /** The resource became garbage: warn if it was never closed. On the cleaner's thread. */
        @Override
        public void run() {
            warn("became garbage without being closed");
        }

        private void warn(String how) {
            if (open.remove(this)) {
                LoopDebug.LOG.log(Level.WARNING, "weft debug: " + what + " " + how + "; close it (try-with-resources)"
                        + " where you are done with it. It was opened at"
                        + StackFrames.format(StackFrames.creationSite(openedAt)));
            }
        }
    }
}
