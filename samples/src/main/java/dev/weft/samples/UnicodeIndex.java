package dev.weft.samples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Fluent Python's charfinder index: every named Unicode character the JDK knows ({@link Character#getName}), found by
 * the words of its name. A query's words (any case, any order) select the characters whose names hold them all, as
 * whole words: {@code cat face} finds U+1F431 CAT FACE and the grinning and crying ones too. Built once (about 150,000
 * names), then read-only: shared by every connection without locks.
 */
final class UnicodeIndex {
    private static final UnicodeIndex INSTANCE = new UnicodeIndex();
    private static final int[] NONE = new int[0];

    private final Map<String, int[]> codePointsByWord; // sorted code points per word of a name

    private UnicodeIndex() {
        Map<String, List<Integer>> words = new HashMap<>();
        for (int cp = 0; cp <= Character.MAX_CODE_POINT; cp++) {
            String name = named(cp);
            if (name != null) {
                for (String word : name.split("[ -]")) {
                    if (!word.isEmpty()) {
                        List<Integer> list = words.computeIfAbsent(word, w -> new ArrayList<>());
                        if (list.isEmpty() || list.getLast() != cp) { // a word twice in one name counts once
                            list.add(cp);
                        }
                    }
                }
            }
        }
        Map<String, int[]> index = new HashMap<>(words.size() * 2);
        words.forEach((word, list) -> index.put(word, list.stream().mapToInt(Integer::intValue).toArray()));
        this.codePointsByWord = index;
    }

    /** The index, built on first use. */
    static UnicodeIndex get() {
        return INSTANCE;
    }

    /** The name of a character worth finding, or null: unassigned, surrogates, private use and controls are left out. */
    static String named(int cp) {
        int type = Character.getType(cp);
        if (type == Character.UNASSIGNED || type == Character.SURROGATE || type == Character.PRIVATE_USE
                || type == Character.CONTROL) {
            return null;
        }
        return Character.getName(cp);
    }

    /** The code points whose names hold every word of the query, in order; none for a query without words. */
    int[] find(String query) {
        String[] words = query.toUpperCase(Locale.ROOT).split("[\\s,;-]+");
        int[] found = null;
        for (String word : words) {
            if (word.isEmpty()) {
                continue;
            }
            int[] postings = codePointsByWord.getOrDefault(word, NONE);
            found = found == null ? postings : intersect(found, postings);
            if (found.length == 0) {
                return NONE;
            }
        }
        return found == null ? NONE : found;
    }

    /** One line per character: {@code U+1F431\t🐱\tCAT FACE}. */
    static String line(int cp) {
        return String.format(Locale.ROOT, "U+%04X\t%s\t%s", cp, Character.toString(cp), Character.getName(cp));
    }

    private static int[] intersect(int[] a, int[] b) {
        int[] out = new int[Math.min(a.length, b.length)];
        int i = 0;
        int j = 0;
        int n = 0;
        while (i < a.length && j < b.length) {
            if (a[i] == b[j]) {
                out[n++] = a[i];
                i++;
                j++;
            } else if (a[i] < b[j]) {
                i++;
            } else {
                j++;
            }
        }
        return Arrays.copyOf(out, n);
    }
}
