package dev.weft.stream;

import java.util.Objects;
import java.util.function.BiFunction;

/**
 * Pairs of items, one from each stream, combined; it ends with the shorter stream, closing both before it says so (the
 * longer one's producers are cleaned up before the consumer goes on).
 */
final class Zip<A, B, R> implements Cursor<R> {
    private final Cursor<A> left;
    private final Cursor<B> right;
    private final BiFunction<? super A, ? super B, ? extends R> combine;

    Zip(Cursor<A> left, Cursor<B> right, BiFunction<? super A, ? super B, ? extends R> combine) {
        this.left = left;
        this.right = right;
        this.combine = combine;
    }

    @Override
    public boolean hasNext() {
        if (left.hasNext() && right.hasNext()) {
            return true;
        }
        close();
        return false;
    }

    @Override
    public R next() {
        A a = left.next();
        return Objects.requireNonNull(combine.apply(a, right.next()), "zip's function returned null: streams carry "
                + "no null items");
    }

    @Override
    public void close() {
        try {
            left.close();
        } catch (RuntimeException | Error leftFailed) {
            try {
                right.close();
            } catch (RuntimeException | Error rightFailed) {
                leftFailed.addSuppressed(rightFailed); // both clean-ups failed: neither is lost
            }
            throw leftFailed;
        }
        right.close();
    }
}
