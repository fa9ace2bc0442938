package dev.weft.http;

import java.nio.ByteBuffer;

/**
 * The header names servers send most, as shared strings: a response's usual names cost no allocation. Matched by
 * exact bytes, so a name keeps the case the server wrote it in.
 */
final class KnownNames {
    private static final String[] NAMES = {
            "Date", "Server", "Content-Type", "Content-Length", "Connection", "Transfer-Encoding",
            "Content-Encoding", "Last-Modified", "ETag", "Accept-Ranges", "Cache-Control", "Expires", "Vary",
            "Location", "Set-Cookie", "Keep-Alive", "Access-Control-Allow-Origin", "Access-Control-Allow-Credentials",
            "content-type", "content-length", "date", "server", "connection", "etag",
    };
    /** NAMES by length, so a lookup compares only same-length candidates. */
    private static final String[][] BY_LENGTH = new String[40][];

    static {
        for (String name : NAMES) {
            String[] old = BY_LENGTH[name.length()];
            String[] grown = old == null ? new String[1] : java.util.Arrays.copyOf(old, old.length + 1);
            grown[grown.length - 1] = name;
            BY_LENGTH[name.length()] = grown;
        }
    }

    private KnownNames() {
    }

    /** The shared string for the bytes {@code [from, to)}, or null if they are not a known name. */
    static String lookup(ByteBuffer b, int from, int to) {
        int n = to - from;
        if (n >= BY_LENGTH.length || BY_LENGTH[n] == null) {
            return null;
        }
        candidates:
        for (String name : BY_LENGTH[n]) {
            for (int i = 0; i < n; i++) {
                if (b.get(from + i) != name.charAt(i)) {
                    continue candidates;
                }
            }
            return name;
        }
        return null;
    }
}
