package dev.weft.samples;

import java.util.Collection;
import java.util.Comparator;
import java.util.Optional;

/** The valid choice nearest a mistyped one, for "did you mean": at most two edits away, or one it starts. */
final class Nearest {
    private Nearest() {
    }

    static Optional<String> to(String typed, Collection<String> choices) {
        return choices.stream()
                .filter(choice -> distance(typed, choice) <= 2 || (typed.length() >= 3 && choice.startsWith(typed)))
                .min(Comparator.comparingInt(choice -> distance(typed, choice)));
    }

    /** " (did you mean X?)", or nothing. */
    static String suggestion(String typed, Collection<String> choices) {
        return to(typed, choices).map(choice -> " (did you mean " + choice + "?)").orElse("");
    }

    /** Levenshtein's edit distance. */
    static int distance(String a, String b) {
        int[] previous = new int[b.length() + 1];
        int[] current = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) {
            previous[j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            current[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int substitution = previous[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
            }
            int[] swap = previous;
            previous = current;
            current = swap;
        }
        return previous[b.length()];
    }
}
