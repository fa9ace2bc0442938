package dev.weft.channel;

import dev.weft.loop.Outcome;

/**
 * Which case a {@link Select} chose, and what it got: take it apart with a {@code switch}.
 *
 * <pre>{@code
 * import dev.weft.channel.Selected.*;
 *
 * switch (Select.of(Select.receive(jobs), Select.receive(quit), Select.timeout(Duration.ofMillis(500)))) {
 *     case Received(var c, var job) when c == jobs -> run((Job) job);
 *     case Received(var c, var q) -> { return; }
 *     case Closed(var c) -> { return; }
 *     case TimedOut() -> idle();
 *     default -> throw new AssertionError();
 * }
 * }</pre>
 */
public sealed interface Selected {

    /** A receive case took {@code value} from {@code channel}. */
    record Received<T>(Channel<T> channel, T value) implements Selected {
        /**
         * The value, typed by the channel it came from: {@code case Received<?> r when r.channel() == jobs ->
         * run(r.valueFrom(jobs))}.
         *
         * @throws IllegalArgumentException if it came from another channel
         */
        @SuppressWarnings("unchecked")
        public <U> U valueFrom(Channel<U> from) {
            if (from != channel) {
                throw new IllegalArgumentException("this value came from " + channel + ", not from " + from);
            }
            return (U) value;
        }
    }

    /** A send case's item was handed over to {@code channel} (to a receiver, or into its buffer). */
    record Sent<T>(Channel<T> channel) implements Selected {
    }

    /** A receive case's channel is closed and drained: it will never give an item again. */
    record Closed(Channel<?> channel) implements Selected {
    }

    /**
     * A completion case's future or stage is done; {@code source} is the object given to
     * {@link Select#completion}, and the outcome says how it ended (a failure counts as retrieved).
     */
    record Completed<T>(Object source, Outcome<T> outcome) implements Selected {
    }

    /** The select's timeout expired before any case was ready; nothing was taken or given. */
    record TimedOut() implements Selected {
    }

    /** No case was ready when the select looked, and it had a default case: nothing was taken or given. */
    record Default() implements Selected {
    }
}
