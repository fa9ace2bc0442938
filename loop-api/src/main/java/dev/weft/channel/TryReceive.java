package dev.weft.channel;

import java.util.Optional;

/**
 * What {@link Channel#tryReceive()} found, to take apart with a {@code switch}: an item, nothing yet, or the end.
 * Three answers rather than an {@link Optional} because "empty for now" and "closed and drained" call for different
 * things (poll again later, or stop), and asking {@code isClosed()} afterwards would race with the senders.
 *
 * <pre>{@code
 * switch (updates.tryReceive()) {
 *     case TryReceive.Item(var update) -> apply(update);
 *     case TryReceive.Empty() -> { }
 *     case TryReceive.Closed() -> stop();
 * }
 * }</pre>
 */
public sealed interface TryReceive<T> {

    /** The item, if there was one. */
    default Optional<T> item() {
        return this instanceof Item<T>(T value) ? Optional.of(value) : Optional.empty();
    }

    /** An item was received. */
    record Item<T>(T value) implements TryReceive<T> {
    }

    /** No item now; the channel is open, so one may come. */
    record Empty<T>() implements TryReceive<T> {
    }

    /** The channel is closed and drained: no item will ever come. */
    record Closed<T>() implements TryReceive<T> {
    }
}
