package dev.weft.iouring;

import io.netty.channel.uring.IoUring;

import java.lang.System.Logger.Level;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Weft's io_uring servers accept one connection per request, not with Netty's default multishot accept
 * (IORING_ACCEPT_MULTISHOT: one request that completes once per connection until it fails). In Netty 4.2.18 the
 * multishot accept costs two things a server cannot afford:
 *
 * <ul>
 *   <li><b>It cannot be stopped.</b> When a multishot accept ends, Netty re-arms it whatever {@code autoRead} says
 *       ({@code AbstractIoUringChannel.AbstractUringUnsafe.readComplete}: only a cancelled request waits for the next
 *       read). Out of file descriptors, the kernel fails every accept at once with EMFILE, before it even looks at
 *       the queue, so the loop spins: submit, fail, re-arm — a core at 100% and, in the server's error path, a
 *       record and a timer per turn. A single accept is re-armed only while {@code autoRead} is on, so the server's
 *       back-off really stops accepting until its timer.</li>
 *   <li><b>It loses the peer's address.</b> One request cannot carry an address buffer for every connection it
 *       accepts, so Netty asks {@code getpeername} when it makes the channel, which fails (ENOTCONN) once the peer has
 *       reset: {@code remoteAddress()} is null. A single accept has the kernel write the address as it accepts, and
 *       it is known for every connection.</li>
 * </ul>
 *
 * Netty reads its switch, {@code io.netty.iouring.acceptMultiShotEnabled}, once, when its {@code IoUring} class
 * initialises: {@link #request()} sets it to false before Weft's io_uring backend first touches Netty, unless it was set
 * already. The cost is one submission per accepted connection. If Netty ends up with multishot accepts anyway (the
 * property set to true, or Netty's io_uring used before Weft's), {@link #warnIfMultishot()} says so once.
 */
final class SingleShotAccept {
    static final String PROPERTY = "io.netty.iouring.acceptMultiShotEnabled";
    private static final AtomicBoolean WARNED = new AtomicBoolean();

    private SingleShotAccept() {
    }

    /** Ask Netty for single accepts, unless someone decided already. Before Netty's {@code IoUring} class loads. */
    static void request() {
        if (System.getProperty(PROPERTY) == null) {
            System.setProperty(PROPERTY, "false");
        }
    }

    /** Log once if Netty's io_uring accepts with multishot requests in this process, and what that costs. */
    static void warnIfMultishot() {
        if (IoUring.isAcceptMultishotEnabled() && WARNED.compareAndSet(false, true)) {
            boolean askedFor = "true".equalsIgnoreCase(System.getProperty(PROPERTY));
            System.getLogger("dev.weft.iouring").log(Level.WARNING, "weft: Netty's io_uring accepts connections with "
                    + "multishot requests in this process ("
                    + (askedFor ? "-D" + PROPERTY + "=true" : "Netty's io_uring was in use before Weft's")
                    + "): an io_uring server will spin while file descriptors are exhausted, and will not know the "
                    + "address of a peer that resets at once; "
                    + (askedFor ? "drop -D" + PROPERTY + "=true" : "pass -D" + PROPERTY + "=false"));
        }
    }
}
