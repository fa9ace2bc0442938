package dev.weft.stream;

import java.util.NoSuchElementException;

/**
 * A cursor that finds its next item ahead of {@link #next()}, for operators that must look before they know whether an
 * item comes (filter, takeWhile, chunked, ...). A subclass implements {@link #advance()} and {@link #close()}.
 */
abstract class Lookahead<T> implements Cursor<T> {
    private static final int UNKNOWN = 0;
    private static final int READY = 1;
    private static final int ENDED = 2;

    private int state = UNKNOWN;
    private T ahead;

    /** Find the next item and pass it to {@link #found}, returning its value (true); or return false at the end. */
    protected abstract boolean advance();

    /** Hold the item for {@link #next()}; returns true, for {@code return found(item);}. */
    protected final boolean found(T item) {
        ahead = item;
        return true;
    }

    @Override
    public final boolean hasNext() {
        if (state == UNKNOWN) {
            state = advance() ? READY : ENDED;
        }
        return state == READY;
    }

    @Override
    public final T next() {
        if (!hasNext()) {
            throw new NoSuchElementException("the stream has ended: call next() only after hasNext() returned true");
        }
        T item = ahead;
        ahead = null;
        state = UNKNOWN;
        return item;
    }

    /** End this cursor: hasNext() returns false from now on. For close(). */
    protected final void end() {
        ahead = null;
        state = ENDED;
    }
}
