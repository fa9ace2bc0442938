package dev.weft.iouring;

import io.netty.channel.uring.IoUring;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

/**
 * Weft's io_uring loops ask the kernel for one completion per request, not for Netty's default multishot requests
 * (one request completing again and again until it fails). In Netty 4.2.18 both multishot requests it makes by default
 * cost a server what it cannot afford:
 *
 * <ul>
 *   <li><b>Multishot accept cannot be stopped, and loses the peer's address.</b> When it ends, Netty re-arms it
 *       whatever {@code autoRead} says ({@code AbstractIoUringChannel.AbstractUringUnsafe.readComplete}: only a
 *       cancelled request waits for the next read). Out of file descriptors, the kernel fails every accept at once
 *       with EMFILE, so the loop spun: submit, fail, re-arm, a core at 100%. And one request cannot carry an address
 *       buffer for every connection, so Netty asks {@code getpeername}, which fails once the peer has reset:
 *       {@code remoteAddress()} was null. A single accept stops while {@code autoRead} is off, and the kernel writes
 *       the peer's address as it accepts.</li>
 *   <li><b>Multishot POLLIN misses a reset.</b> It reports each wake-up once and, while armed, never looks at the
 *       socket again. A peer that sends its last bytes and resets (SO_LINGER 0) wakes it, and the POLLRDHUP poll,
 *       while the recv for those bytes is in flight; Netty drops both wake-ups, as a read is already scheduled. The
 *       recv returns the bytes without IORING_CQE_F_SOCK_NONEMPTY (a reset leaves nothing queued), Netty ends its
 *       read loop on that hint and waits on the armed poll, which nothing wakes again: the connection kept its fd
 *       until the loop closed. A one-shot poll is armed afresh after each read loop and looks at the socket's state
 *       when armed, so the next recv fails with ECONNRESET.</li>
 * </ul>
 *
 * <p>Netty has no per-channel switch, only system properties read once, when its {@code IoUring} class initialises:
 * {@link #request()} sets them to false before Weft's io_uring backend first touches Netty, unless the user set them.
 * The cost is one more submission per accepted connection and per read loop. If Netty ends up with multishot requests
 * anyway (a property set to true, or Netty's io_uring used before Weft's), {@link #warnIfMultishot()} says so once.
 */
final class OneShotRequests {
    private record Switch(String property, BooleanSupplier enabled, String risk, AtomicBoolean warned) {
        Switch(String property, BooleanSupplier enabled, String risk) {
            this(property, enabled, risk, new AtomicBoolean());
        }
    }

    private static final List<Switch> SWITCHES = List.of(
            new Switch("io.netty.iouring.acceptMultiShotEnabled", IoUring::isAcceptMultishotEnabled,
                    "an io_uring server spins while file descriptors are exhausted, and does not know the address of a "
                            + "peer that resets at once"),
            new Switch("io.netty.iouring.pollAddMultishotEnabled", IoUring::isPollAddMultishotEnabled,
                    "a connection whose peer resets right after sending may never be told, and stays open until its "
                            + "loop closes"));

    private OneShotRequests() {
    }

    /** Ask Netty for one-shot requests, unless someone decided already. Before Netty's {@code IoUring} class loads. */
    static void request() {
        for (Switch each : SWITCHES) {
            if (System.getProperty(each.property()) == null) {
                System.setProperty(each.property(), "false");
            }
        }
    }

    /** Log once for each kind of multishot request Netty's io_uring makes in this process, and what it costs. */
    static void warnIfMultishot() {
        for (Switch each : SWITCHES) {
            if (each.enabled().getAsBoolean() && each.warned().compareAndSet(false, true)) {
                boolean askedFor = "true".equalsIgnoreCase(System.getProperty(each.property()));
                System.getLogger("dev.weft.iouring").log(Level.WARNING, "weft: Netty's io_uring makes multishot "
                        + "requests in this process (" + (askedFor ? "-D" + each.property() + "=true"
                        : "Netty's io_uring was in use before Weft's") + "), so " + each.risk() + "; "
                        + (askedFor ? "drop -D" + each.property() + "=true" : "pass -D" + each.property() + "=false")
                        + ", or use -Dweft.loop=epoll");
            }
        }
    }
}
