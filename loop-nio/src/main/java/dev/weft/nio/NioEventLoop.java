package dev.weft.nio;

import dev.weft.loop.AbstractEventLoop;
import dev.weft.loop.TaskMode;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.util.function.Consumer;

/**
 * The pure-JDK loop: a {@link Selector} is the multiplexer. On Linux the JDK's selector is epoll underneath, with one
 * more level of indirection (the selected-key set) than Netty's native epoll; {@link Selector#wakeup()} writes to an
 * internal pipe (an eventfd on newer JDKs), so the core calls it only when the loop is, or is about to be, asleep.
 *
 * <p>A channel registered with {@link #selector()} carries a {@link Consumer} of its {@link SelectionKey} as the key's
 * attachment; the loop hands it the key each time the key is selected.
 */
public final class NioEventLoop extends AbstractEventLoop {
    private final Selector selector;

    public NioEventLoop() {
        this(TaskMode.bestAvailable());
    }

    public NioEventLoop(TaskMode taskMode) {
        super(NioLoopProvider.NAME, taskMode);
        try {
            this.selector = Selector.open();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot open a java.nio Selector", e);
        }
    }

    /** The selector, for transports that register channels with this loop. Loop thread only. */
    public Selector selector() {
        return selector;
    }

    @Override
    protected void poll(long timeoutNanos) {
        try {
            if (timeoutNanos == 0) {
                selector.selectNow(this::dispatch);
            } else if (timeoutNanos < 0) {
                selector.select(this::dispatch);
            } else {
                // Round up: the core must never see a deadline before it is due, and select(0) means "forever".
                selector.select(this::dispatch, Math.max(1, (timeoutNanos + 999_999) / 1_000_000));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("java.nio Selector failed", e);
        }
    }

    @SuppressWarnings("unchecked")
    private void dispatch(SelectionKey key) {
        if (key.attachment() instanceof Consumer<?> handler) {
            ((Consumer<SelectionKey>) handler).accept(key);
        }
    }

    @Override
    protected void wakeup() {
        selector.wakeup();
    }

    @Override
    protected void closeBackend() {
        try {
            selector.close();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot close the java.nio Selector", e);
        }
    }
}
