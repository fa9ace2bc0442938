package dev.weft.net;

import dev.weft.loop.AbstractEventLoop;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LeakWatch;

import java.net.SocketAddress;

/**
 * The life of every backend's transport, written once: open, then closing (after what is queued has gone out), then
 * lost — the socket closed and {@code connectionLost} called exactly once, last, in a callback of its own, after which
 * the protocol hears nothing. Whatever ends it goes through {@link #lose}: our close or abort, the peer or the OS
 * breaking it, a protocol callback that throws (which also goes to the loop's exception handler, once, as the
 * program's own bug). A backend supplies the I/O: what is still queued, and how to let go of the socket.
 *
 * <p>Confined to the loop, as the transports are; queries may be called anywhere but see the loop's state only as of
 * the last time the caller synchronized with it. For backend authors.
 */
public abstract class AbstractTransport implements Transport {
    protected final AbstractEventLoop loop;
    private SocketAddress localAddress;
    private SocketAddress remoteAddress;
    private boolean closing;
    private boolean lost; // connectionLost is scheduled; nothing else is called back
    private Throwable lostCause;
    private final LeakWatch leak; // in debug mode, warns if never closed

    protected AbstractTransport(AbstractEventLoop loop, SocketAddress localAddress, SocketAddress remoteAddress) {
        this.loop = loop;
        this.localAddress = Addresses.printable(localAddress);
        this.remoteAddress = Addresses.printable(remoteAddress);
        loop.counters().transportOpened();
        this.leak = LeakWatch.open(loop, this, "transport");
        nameLeak();
    }

    // ---- what a backend supplies

    /** Whether bytes (or files) handed to the transport have yet to reach the kernel: a close waits for them. */
    protected abstract boolean writesPending();

    /**
     * The transport is lost: close the socket, drop what is queued (failing what waits on it with {@code cause}, or a
     * closed error when it is null), and forget it wherever it is listed. Called once, on the loop.
     */
    protected abstract void letGo(Throwable cause);

    /** Call the protocol's {@code connectionLost(cause)}. */
    protected abstract void callConnectionLost(Throwable cause);

    /** The transport in an error message: "connection with 10.0.0.1:80", "UDP endpoint on 0.0.0.0:5353". */
    protected abstract String describe();

    /** What an abort ends, in an error message: "connection", "endpoint". */
    protected abstract String kind();

    /** How many bytes are queued, for {@link #toString()}. */
    protected abstract long queuedBytes();

    /** A close began: stop reading, drop what was read and not shown. Nothing by default. */
    protected void closingStarted() {
    }

    /** Whether the protocol hears of the loss: not when it never heard of the connection, or the loop is closing. */
    protected boolean tellsProtocolOfLoss() {
        return true;
    }

    // ---- the life cycle

    @Override
    public final void close() {
        loop.checkNetworkConfined("close");
        if (closing) {
            return;
        }
        closing = true;
        leak.closed(); // the program closed it: what is left to flush is ours, not a leak
        closingStarted();
        if (!writesPending()) {
            lose(null);
        }
    }

    @Override
    public final void abort() {
        loop.checkNetworkConfined("abort");
        lose(null);
    }

    @Override
    public final boolean isClosing() {
        return closing;
    }

    /** Whether the transport is lost: the socket closed, {@code connectionLost} scheduled. */
    protected final boolean isLost() {
        return lost;
    }

    /** Why it was lost: null for our own close or abort. */
    protected final Throwable lostCause() {
        return lostCause;
    }

    /** End the transport now and schedule {@code connectionLost(cause)}, once; nothing is called back after it. */
    protected final void lose(Throwable cause) {
        if (lost) {
            return;
        }
        lost = true;
        leak.closed();
        closing = true;
        lostCause = cause;
        loop.counters().transportLost();
        letGo(cause);
        if (tellsProtocolOfLoss()) {
            ProtocolCalls.connectionLostSoon(loop, () -> callConnectionLost(cause), t -> report("connectionLost", t));
        }
    }

    /** A protocol callback threw: the program's bug, reported once with its stack; the transport is aborted. */
    protected final void protocolFailed(String callback, Throwable error) {
        report(callback, error);
        lose(error);
    }

    private void report(String callback, Throwable error) {
        ProtocolCalls.reportThrew(loop, callback, describe(), kind(), error);
    }

    // ---- identity

    @Override
    public final EventLoop loop() {
        return loop;
    }

    @Override
    public final SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public final SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** For a backend that learns the addresses only once connected. */
    protected final void setAddresses(SocketAddress local, SocketAddress remote) {
        this.localAddress = Addresses.printable(local);
        this.remoteAddress = Addresses.printable(remote);
        nameLeak();
    }

    /**
     * Name the transport in debug mode's warning if it is never closed, by a string with no reference to it (so it can
     * become garbage); built only in debug mode, since a transport's addresses are formatted at every open.
     */
    private void nameLeak() {
        if (leak.watching()) {
            leak.rename("transport " + getClass().getSimpleName() + " " + Addresses.format(localAddress)
                    + (remoteAddress == null ? "" : " -> " + Addresses.format(remoteAddress)));
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[" + loop.backendName() + ", " + Addresses.format(localAddress)
                + (remoteAddress == null ? "" : " -> " + Addresses.format(remoteAddress))
                + (lost ? ", lost" : closing ? ", closing" : "") + ", queued=" + queuedBytes() + "]";
    }
}
