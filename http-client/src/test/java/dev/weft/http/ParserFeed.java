package dev.weft.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

/**
 * Feeds a response's bytes to a {@link ResponseParser} in pieces and writes down what came out, as lines of text a
 * test can compare: {@code Head 200 OK 1.1 [headers]}, {@code Body text} (the chunks of one run joined, since how a
 * body is cut depends on the reads), {@code End [trailers] keepAlive=true}, {@code Error message}, {@code Leftover
 * text} (bytes after the last End). {@link #sameForEverySplit} checks that every way of cutting the bytes gives the
 * same lines.
 */
final class ParserFeed {
    private ParserFeed() {
    }

    /** Whole, cut at every offset (or 300 of them), byte by byte and in random pieces; heap and direct buffers. */
    static List<String> sameForEverySplit(ResponseLimits limits, String input, boolean close, String... methods) {
        byte[] bytes = input.getBytes(StandardCharsets.ISO_8859_1);
        List<String> whole = feed(limits, bytes, new int[0], false, close, methods);
        assertEquals(whole, feed(limits, bytes, new int[0], true, close, methods), "direct buffer");
        int step = Math.max(1, bytes.length / 300);
        for (int cut = 1; cut < bytes.length; cut += step) {
            assertEquals(whole, feed(limits, bytes, new int[] {cut}, cut % 2 == 0, close, methods), "cut at " + cut);
        }
        if (bytes.length <= 5000) {
            int[] everyByte = new int[Math.max(0, bytes.length - 1)];
            for (int i = 0; i < everyByte.length; i++) {
                everyByte[i] = i + 1;
            }
            assertEquals(whole, feed(limits, bytes, everyByte, false, close, methods), "byte by byte");
        }
        for (int seed = 0; seed < 20; seed++) {
            Random random = new Random(seed);
            List<Integer> cuts = new ArrayList<>();
            for (int at = 1 + random.nextInt(20); at < bytes.length; at += 1 + random.nextInt(40)) {
                cuts.add(at);
            }
            int[] c = cuts.stream().mapToInt(Integer::intValue).toArray();
            assertEquals(whole, feed(limits, bytes, c, seed % 2 == 0, close, methods), "random cuts, seed " + seed);
        }
        return whole;
    }

    static List<String> sameForEverySplit(String input, boolean close, String... methods) {
        return sameForEverySplit(ResponseLimits.DEFAULTS, input, close, methods);
    }

    /**
     * The lines for {@code bytes} cut at {@code cuts}, each piece in a buffer of its own; {@code close}: the peer
     * closes after the last piece.
     */
    static List<String> feed(ResponseLimits limits, byte[] bytes, int[] cuts, boolean direct, boolean close,
                             String... methods) {
        var parser = new ResponseParser(limits);
        List<String> lines = new ArrayList<>();
        StringBuilder body = new StringBuilder();
        StringBuilder leftover = new StringBuilder();
        int nextMethod = 0;
        parser.begin(methods[nextMethod++]);
        boolean done = false;
        try {
            for (int p = 0; p <= cuts.length; p++) {
                int from = p == 0 ? 0 : cuts[p - 1];
                int to = p == cuts.length ? bytes.length : cuts[p];
                ByteBuffer buf = direct ? ByteBuffer.allocateDirect(to - from) : ByteBuffer.allocate(to - from);
                buf.put(bytes, from, to - from).flip();
                while (!done) {
                    ResponseEvent event = parser.next(buf);
                    if (event == null) {
                        assertFalse(buf.hasRemaining(), "null with input left");
                        break;
                    }
                    if (!(event instanceof ResponseEvent.BodyChunk) && !body.isEmpty()) {
                        lines.add("Body " + body);
                        body.setLength(0);
                    }
                    switch (event) {
                        case ResponseEvent.Head h -> lines.add("Head " + h.status() + " " + h.reason() + " "
                                + (h.http11() ? "1.1 " : "1.0 ") + h.headers());
                        case ResponseEvent.BodyChunk c -> body.append(StandardCharsets.ISO_8859_1.decode(c.data()));
                        case ResponseEvent.End e -> {
                            lines.add("End " + e.trailers() + " keepAlive=" + parser.keepAlive());
                            if (nextMethod < methods.length) {
                                parser.begin(methods[nextMethod++]);
                            } else {
                                done = true;
                            }
                        }
                    }
                }
                if (done) {
                    leftover.append(StandardCharsets.ISO_8859_1.decode(buf));
                }
            }
            if (!done && close) {
                ResponseEvent event = parser.endOfInput();
                if (!body.isEmpty()) {
                    lines.add("Body " + body);
                    body.setLength(0);
                }
                lines.add("End " + ((ResponseEvent.End) event).trailers() + " keepAlive=" + parser.keepAlive()
                        + " (at close)");
            }
        } catch (HttpProtocolException e) {
            if (!body.isEmpty()) {
                lines.add("Body " + body);
                body.setLength(0);
            }
            lines.add("Error " + e.getMessage());
        }
        if (!body.isEmpty()) {
            lines.add("Body " + body);
        }
        if (!leftover.isEmpty()) {
            lines.add("Leftover " + leftover);
        }
        return lines;
    }
}
