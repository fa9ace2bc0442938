package dev.weft.net;

import dev.weft.loop.AbstractEventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.UnhandledError;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.Objects;

/**
 * What every backend's TCP or Unix stream transport does alike: the checks before a write, the write buffer's water
 * marks ({@code pauseWriting} when the queued bytes exceed the high mark, {@code resumeWriting} at or below the low
 * one), half-close ({@code writeEof} shuts output down once the queue drains), the protocol's callbacks with their
 * errors, and the life cycle of {@link AbstractTransport}. A backend supplies how bytes and files reach the socket,
 * counts what it has not written yet, and calls {@link #drained()} when that count falls.
 *
 * <p>Errors, as everywhere in Weft: what the peer or the OS did ({@link #broke}) ends the connection with a
 * {@link dev.weft.loop.BrokenResourceException} naming the peer, is the protocol's to handle and is not logged; a
 * callback that throws is the program's bug and goes to the loop's exception handler. For backend authors.
 */
public abstract class AbstractStreamTransport extends AbstractTransport implements StreamTransport {
    protected final StreamProtocol protocol;
    private int highWater = DEFAULT_HIGH_WATER;
    private int lowWater = DEFAULT_LOW_WATER;
    private boolean writingPaused; // the protocol was told to pause
    private boolean eofWanted; // writeEof() was called
    private boolean outputShut;

    protected AbstractStreamTransport(AbstractEventLoop loop, StreamProtocol protocol, SocketAddress localAddress,
                                      SocketAddress remoteAddress) {
        super(loop, localAddress, remoteAddress);
        this.protocol = protocol;
    }

    // ---- what a backend supplies

    /** Send {@code data} (remaining bytes > 0), now or after what is queued; the transport owns it from now on. */
    protected abstract void writeData(ByteBuffer data);

    /** Send part of a file after what is queued; {@code position} and {@code count} are not negative. */
    protected abstract Future<Long> writeFile(FileChannel file, long position, long count);

    /** Bytes given to {@link #write} and not yet taken by the kernel. */
    protected abstract long bufferedBytes();

    /** Shut the socket's output down now (nothing is queued). */
    protected abstract void shutdownOutput();

    // ---- connecting

    /** Call {@code connectionMade}; returns what it threw, after aborting the connection, or null. */
    protected final Throwable callConnectionMade() {
        try {
            protocol.connectionMade(this);
            return null;
        } catch (Throwable t) {
            lose(t);
            return t;
        }
    }

    // ---- writing

    @Override
    public final void write(ByteBuffer data) {
        loop.checkNetworkConfined("write");
        Objects.requireNonNull(data, "data");
        checkWritable("write");
        if (data.hasRemaining()) {
            writeData(data);
            maybePauseProtocol();
        }
    }

    @Override
    public final Future<Long> sendFile(FileChannel file, long position, long count) {
        loop.checkNetworkConfined("sendFile");
        Objects.requireNonNull(file, "file");
        checkWritable("sendFile");
        if (position < 0 || count < 0) {
            throw new IllegalArgumentException("position and count must not be negative: " + position + ", " + count);
        }
        return writeFile(file, position, count);
    }

    /** Throw if nothing more may be written: closing, or after {@link #writeEof()}. */
    protected void checkWritable(String operation) {
        if (isClosing()) {
            throw closed(operation);
        }
        if (eofWanted) {
            throw new TransportClosedException("cannot " + operation + " to " + Addresses.format(remoteAddress())
                    + " after writeEof()", null);
        }
    }

    /** Bytes left the buffer: resume the protocol at the low water mark, then finish a close or a writeEof. */
    protected final void drained() {
        if (isLost()) {
            return;
        }
        if (writingPaused && bufferedBytes() <= lowWater) {
            writingPaused = false;
            try {
                protocol.resumeWriting();
            } catch (Throwable t) {
                protocolFailed("resumeWriting", t);
                return;
            }
        }
        if (!writesPending()) {
            if (isClosing()) {
                lose(null);
            } else if (eofWanted) {
                shutOutput();
            }
        }
    }

    private void maybePauseProtocol() {
        if (!writingPaused && !isLost() && bufferedBytes() > highWater) {
            writingPaused = true;
            try {
                protocol.pauseWriting();
            } catch (Throwable t) {
                protocolFailed("pauseWriting", t);
            }
        }
    }

    @Override
    public final void writeEof() {
        loop.checkNetworkConfined("writeEof");
        if (isClosing()) {
            throw closed("writeEof");
        }
        if (eofWanted) {
            return;
        }
        eofWanted = true;
        if (!writesPending()) {
            shutOutput();
        }
    }

    private void shutOutput() {
        if (!outputShut) {
            outputShut = true;
            shutdownOutput();
        }
    }

    @Override
    public boolean canWriteEof() {
        return true;
    }

    @Override
    public final int writeBufferSize() {
        return (int) Math.min(bufferedBytes(), Integer.MAX_VALUE);
    }

    @Override
    public final void setWriteBufferLimits(int high, int low) {
        loop.checkNetworkConfined("setWriteBufferLimits");
        if (low < 0 || high < low) {
            throw new IllegalArgumentException("write buffer limits must satisfy 0 <= low <= high; got high=" + high
                    + ", low=" + low);
        }
        highWater = high;
        lowWater = low;
        maybePauseProtocol();
    }

    // ---- reading: the protocol's callbacks

    /** Show the protocol what was read; a callback that throws aborts the connection. */
    protected final void received(ByteBuffer data) {
        try {
            protocol.dataReceived(data);
        } catch (Throwable t) {
            protocolFailed("dataReceived", t);
        }
    }

    /** The peer ended its side: close unless the protocol keeps the connection open for writing. */
    protected final void eofReceived() {
        boolean keepOpen;
        try {
            keepOpen = protocol.eofReceived();
        } catch (Throwable t) {
            protocolFailed("eofReceived", t);
            return;
        }
        if (!keepOpen) {
            close();
        }
    }

    @Override
    protected final void callConnectionLost(Throwable cause) {
        protocol.connectionLost(cause);
    }

    // ---- errors

    /**
     * The connection failed: an I/O error (the peer or the OS broke it) loses it with a BrokenResourceException naming
     * the peer; anything else (an Error, a bug in the I/O layer) also goes to the loop's exception handler, since no
     * peer could have caused it and the protocol alone would hide it.
     */
    protected final void broke(Throwable error) {
        if (error instanceof IOException io) {
            lose(SocketErrors.broken(io, remoteAddress()));
            return;
        }
        if (!isLost()) {
            loop.callExceptionHandler(new UnhandledError("the " + describe() + " failed; it is aborted", error));
        }
        lose(error);
    }

    /** What an operation on this connection throws once it is closing or gone. */
    protected final TransportClosedException closed(String operation) {
        return SocketErrors.closed(operation, remoteAddress(), lostCause());
    }

    @Override
    protected final String describe() {
        return "connection with " + Addresses.format(remoteAddress());
    }

    @Override
    protected final String kind() {
        return "connection";
    }

    @Override
    protected final long queuedBytes() {
        return bufferedBytes();
    }
}
