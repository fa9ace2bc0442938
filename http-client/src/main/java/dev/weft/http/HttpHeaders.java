package dev.weft.http;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import java.util.Objects;

/**
 * Header (or trailer) fields: name/value pairs in the order they came or were added, names compared without regard
 * to case, a name possibly repeated. Immutable; {@link #toBuilder()} makes a changed copy.
 *
 * <p>Fields added through a {@link Builder} are checked before anything is sent: a name must be a token (RFC 9110
 * §5.6.2) and a value must hold no CR, LF, NUL or other control character but HTAB, and no character beyond
 * ISO-8859-1 — so no caller can split a request by smuggling a line end into it.
 *
 * <p>Stored as one array of alternating names and values: a response has a dozen fields, and a linear scan of a
 * small array beats hashing them.
 */
public final class HttpHeaders implements Iterable<Map.Entry<String, String>> {
    /** No fields. */
    public static final HttpHeaders EMPTY = new HttpHeaders(new String[0]);

    private final String[] pairs;

    /** Takes {@code pairs} (name, value, name, value ...) as they are: the caller has checked them. */
    HttpHeaders(String[] pairs) {
        this.pairs = pairs;
    }

    /**
     * Fields from alternating names and values: {@code of("Accept", "*}{@code /*", "User-Agent", "weft")}.
     *
     * @throws IllegalArgumentException if a name is missing its value, or a name or value is invalid
     */
    public static HttpHeaders of(String... namesAndValues) {
        if (namesAndValues.length % 2 != 0) {
            throw new IllegalArgumentException("HttpHeaders.of takes names and values in pairs, but got "
                    + namesAndValues.length + " strings: the last name has no value");
        }
        Builder b = new Builder();
        for (int i = 0; i < namesAndValues.length; i += 2) {
            b.add(namesAndValues[i], namesAndValues[i + 1]);
        }
        return b.build();
    }

    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding these fields, to add to, replace or remove from. */
    public Builder toBuilder() {
        return new Builder().addAll(this);
    }

    /** The first value of the field {@code name} (any case), or null if there is none. */
    public String first(String name) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equalsIgnoreCase(name)) {
                return pairs[i + 1];
            }
        }
        return null;
    }

    /** Every value of the field {@code name} (any case), in order; empty if there is none. */
    public List<String> all(String name) {
        List<String> values = null;
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equalsIgnoreCase(name)) {
                if (values == null) {
                    values = new ArrayList<>(2);
                }
                values.add(pairs[i + 1]);
            }
        }
        return values == null ? List.of() : List.copyOf(values);
    }

    public boolean contains(String name) {
        return first(name) != null;
    }

    /**
     * Whether a value of the field {@code name} holds {@code token} as one of its comma-separated elements, compared
     * without regard to case: {@code containsToken("Connection", "close")} is true for {@code Connection: Keep-Alive,
     * Close}.
     */
    public boolean containsToken(String name, String token) {
        for (int i = 0; i < pairs.length; i += 2) {
            if (pairs[i].equalsIgnoreCase(name) && listContains(pairs[i + 1], token)) {
                return true;
            }
        }
        return false;
    }

    /** Whether the comma-separated list {@code value} has an element equal to {@code token}, ignoring case and OWS. */
    static boolean listContains(String value, String token) {
        int start = 0;
        int n = value.length();
        while (start <= n) {
            int comma = value.indexOf(',', start);
            int end = comma < 0 ? n : comma;
            int s = start;
            int e = end;
            while (s < e && isOws(value.charAt(s))) {
                s++;
            }
            while (e > s && isOws(value.charAt(e - 1))) {
                e--;
            }
            if (e - s == token.length() && value.regionMatches(true, s, token, 0, token.length())) {
                return true;
            }
            if (comma < 0) {
                return false;
            }
            start = comma + 1;
        }
        return false;
    }

    private static boolean isOws(char c) {
        return c == ' ' || c == '\t';
    }

    /** The number of name/value pairs. */
    public int size() {
        return pairs.length / 2;
    }

    /** The name of the field at {@code index}, as it was written. */
    String nameAt(int index) {
        return pairs[2 * index];
    }

    String valueAt(int index) {
        return pairs[2 * index + 1];
    }

    /** The fields in order, as (name, value) entries; a name repeats for each of its values. */
    @Override
    public Iterator<Map.Entry<String, String>> iterator() {
        return new Iterator<>() {
            private int next;

            @Override
            public boolean hasNext() {
                return next < pairs.length;
            }

            @Override
            public Map.Entry<String, String> next() {
                if (next >= pairs.length) {
                    throw new NoSuchElementException();
                }
                var entry = new AbstractMap.SimpleImmutableEntry<>(pairs[next], pairs[next + 1]);
                next += 2;
                return entry;
            }
        };
    }

    /** Equal when they hold the same fields in the same order, names compared without regard to case. */
    @Override
    public boolean equals(Object o) {
        if (!(o instanceof HttpHeaders other) || other.pairs.length != pairs.length) {
            return false;
        }
        for (int i = 0; i < pairs.length; i += 2) {
            if (!pairs[i].equalsIgnoreCase(other.pairs[i]) || !pairs[i + 1].equals(other.pairs[i + 1])) {
                return false;
            }
        }
        return true;
    }

    @Override
    public int hashCode() {
        int h = 1;
        for (int i = 0; i < pairs.length; i += 2) {
            String name = pairs[i];
            for (int c = 0; c < name.length(); c++) {
                h = 31 * h + Character.toLowerCase(name.charAt(c));  // as equalsIgnoreCase, without a lowered copy
            }
            h = 31 * h + pairs[i + 1].hashCode();
        }
        return h;
    }

    /** {@code [Content-Type: text/plain, Content-Length: 5]}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < pairs.length; i += 2) {
            sb.append(i == 0 ? "" : ", ").append(pairs[i]).append(": ").append(pairs[i + 1]);
        }
        return sb.append(']').toString();
    }

    /** Collects fields, checking each as it is added; {@link #build()} can be called more than once. */
    public static final class Builder {
        private String[] pairs = new String[16];
        private int length;

        Builder() {
        }

        /**
         * Adds a field after the ones already here.
         *
         * @throws IllegalArgumentException naming the field and the character if {@code name} is not a token or
         *                                  {@code value} holds CR, LF, NUL, another control character or a
         *                                  character beyond ISO-8859-1
         */
        public Builder add(String name, String value) {
            checkName(name);
            checkValue(name, value);
            return append(name, value);
        }

        /** Replaces every value of {@code name} by {@code value}, where its first value was. @see #add */
        public Builder set(String name, String value) {
            checkName(name);
            checkValue(name, value);
            for (int i = 0; i < length; i += 2) {
                if (pairs[i].equalsIgnoreCase(name)) {
                    pairs[i] = name;
                    pairs[i + 1] = value;
                    removeFrom(name, i + 2);
                    return this;
                }
            }
            return append(name, value);
        }

        /** Removes every value of {@code name}; nothing if there is none. */
        public Builder remove(String name) {
            Objects.requireNonNull(name, "name");
            removeFrom(name, 0);
            return this;
        }

        /** Adds all of {@code headers}' fields, in order, after the ones here. */
        public Builder addAll(HttpHeaders headers) {
            for (int i = 0; i < headers.pairs.length; i += 2) {
                append(headers.pairs[i], headers.pairs[i + 1]);
            }
            return this;
        }

        /** Adds a field taken from another {@link HttpHeaders}, whose builder checked it already. */
        Builder addChecked(String name, String value) {
            return append(name, value);
        }

        public HttpHeaders build() {
            return length == 0 ? EMPTY : new HttpHeaders(Arrays.copyOf(pairs, length));
        }

        private Builder append(String name, String value) {
            if (length == pairs.length) {
                pairs = Arrays.copyOf(pairs, length * 2);
            }
            pairs[length++] = name;
            pairs[length++] = value;
            return this;
        }

        private void removeFrom(String name, int from) {
            int kept = from;
            for (int i = from; i < length; i += 2) {
                if (!pairs[i].equalsIgnoreCase(name)) {
                    pairs[kept++] = pairs[i];
                    pairs[kept++] = pairs[i + 1];
                }
            }
            Arrays.fill(pairs, kept, length, null);
            length = kept;
        }

        private static void checkName(String name) {
            Objects.requireNonNull(name, "header name");
            if (name.isEmpty()) {
                throw new IllegalArgumentException("a header name cannot be empty");
            }
            int bad = HttpChars.firstNonTchar(name);
            if (bad >= 0) {
                throw new IllegalArgumentException("header name '" + printable(name) + "' holds "
                        + HttpChars.describe(name.charAt(bad)) + " at index " + bad
                        + ": a name is a token (letters, digits and !#$%&'*+-.^_`|~), as RFC 9110 §5.6.2 says");
            }
        }

        private static void checkValue(String name, String value) {
            Objects.requireNonNull(value, () -> "the value of header " + name);
            for (int i = 0; i < value.length(); i++) {
                char c = value.charAt(i);
                if ((c < 0x20 && c != '\t') || c == 0x7f || c > 0xff) {
                    throw new IllegalArgumentException("the value of header " + name + " holds "
                            + HttpChars.describe(c) + " at index " + i
                            + (c > 0xff ? ": a value is sent as ISO-8859-1; encode the text first (e.g. RFC 8187)"
                            : ": line ends and control characters could split the request; remove them"));
                }
            }
        }

        private static String printable(String s) {
            return s.replace("\r", "\\r").replace("\n", "\\n").replace("\0", "\\0");
        }
    }
}
