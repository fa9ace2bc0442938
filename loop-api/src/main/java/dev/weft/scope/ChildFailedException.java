package dev.weft.scope;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/**
 * Children of a {@link TaskGroup} failed: thrown by {@link TaskGroup#close()}. The cause is the first failure; the
 * later ones are suppressed on this exception, in the order they happened.
 */
public class ChildFailedException extends RuntimeException {
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
