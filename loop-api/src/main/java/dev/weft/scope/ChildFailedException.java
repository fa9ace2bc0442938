package dev.weft.scope;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletionException;

/**
 * Children of a {@link TaskGroup} failed: thrown by {@link TaskGroup#close()}. The cause is the first failure, the same
 * object the child threw; the later ones are suppressed on this exception, in the order they happened. It is a
 * {@link CompletionException}, the one wrapper of Weft's exception rule, so {@code catch (CompletionException e)} and
 * {@code e.getCause()} read a child's failure the same way through every path. {@code close()} wraps even unchecked
 * failures: see {@link TaskGroup} for why a try-with-resources block cannot be given the child's own exception.
 */
public class ChildFailedException extends CompletionException {
    private final transient List<Throwable> failures;

    ChildFailedException(List<Throwable> failures) {
        super(describe(failures), failures.getFirst());
        this.failures = Collections.unmodifiableList(new ArrayList<>(failures));
        for (Throwable later : failures.subList(1, failures.size())) {
            if (later != getCause()) {
                addSuppressed(later);
            }
        }
    }

    /** Every failure, first one first. */
    public List<Throwable> failures() {
        return failures;
    }

    private static String describe(List<Throwable> failures) {
        String first = "a child of a TaskGroup failed: " + failures.getFirst();
        return failures.size() == 1 ? first : first + " (and " + (failures.size() - 1) + " more, suppressed)";
    }
}
