package dev.weft.loop;

import java.util.concurrent.CancellationException;

/**
 * How a finished future ended, to take apart with a {@code switch}:
 *
 * <pre>{@code
 * switch (task.outcome()) {
 *     case Outcome.Success(var value) -> use(value);
 *     case Outcome.Failure(var error) -> log(error);
 *     case Outcome.Cancelled(var cause) -> retry();
 * }
 * }</pre>
 */
public sealed interface Outcome<T> {

    record Success<T>(T value) implements Outcome<T> {
    }

    record Failure<T>(Throwable error) implements Outcome<T> {
    }

    record Cancelled<T>(CancellationException cause) implements Outcome<T> {
    }
}
