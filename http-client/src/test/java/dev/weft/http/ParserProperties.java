package dev.weft.http;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * What every parser of untrusted bytes must do whatever the bytes, checked for one input: it parses them or fails
 * with its own typed exception and a message naming the cause — never another exception; it makes progress on every
 * call (no hang); what it hands on stays within its limits (no unbounded memory); and bytes cut anywhere give the
 * same outcome as the whole. The fuzzers ({@link ParserFuzzTest}, {@link MutatedMessagesTest}) feed it inputs; a
 * failed assertion or a foreign exception is a finding.
 *
 * <p>Each check returns the outcome as lines of text (as {@link ParserFeed} does), so that two ways of cutting the
 * same bytes can be compared.
 */
final class ParserProperties {
    /** Small limits, so that short fuzzed inputs reach them. */
    static final ResponseLimits SMALL = new ResponseLimits(64, 512, 8, 2048, 100);
    /** Responses read from one connection before the check stops: the parser's reuse is covered without end. */
    private static final int MAX_RESPONSES = 8;
    /** How many WebSocket messages (and control frames) the check takes before it stops. */
    private static final int MAX_MESSAGES = 64;
    static final String PEER = "ws://fuzz.test/";

    private ParserProperties() {
    }

    // ---- responses ----

    /**
     * The response parser on {@code bytes}, whole and cut at {@code cuts}, in heap and direct buffers, answering
     * requests of {@code method}: the same lines every way.
     */
    static List<String> response(ResponseLimits limits, String method, byte[] bytes, int[] cuts, boolean close) {
        List<String> whole = feedResponses(limits, method, bytes, new int[0], false, close);
        assertEquals(whole, feedResponses(limits, method, bytes, cuts, false, close),
                () -> "cut at " + Arrays.toString(cuts));
        assertEquals(whole, feedResponses(limits, method, bytes, cuts, true, close),
                () -> "cut at " + Arrays.toString(cuts) + ", direct buffers");
        return whole;
    }

    private static List<String> feedResponses(ResponseLimits limits, String method, byte[] bytes, int[] cuts,
                                              boolean direct, boolean close) {
        var parser = new ResponseParser(limits);
        List<String> lines = new ArrayList<>();
        long[] body = {0};
        StringBuilder bodyText = new StringBuilder();
        ResponseEvent.Head last = null;
        int responses = 0;
        parser.begin(method);
        boolean done = false;
        try {
            for (ByteBuffer buf : pieces(bytes, cuts, direct)) {
                int calls = 0;
                while (!done) {
                    if (++calls > buf.capacity() + 16) {
                        fail("no progress: " + calls + " calls on a piece of " + buf.capacity() + " bytes");
                    }
                    int before = buf.position();
                    ResponseEvent event = parser.next(buf);
                    if (event == null) {
                        assertFalse(buf.hasRemaining(), "null with input left");
                        break;
                    }
                    assertTrue(buf.position() >= before, "the parser went back in its input");
                    switch (event) {
                        case ResponseEvent.Head h -> {
                            flushBody(lines, bodyText);
                            checkHead(limits, h);
                            last = h;
                            lines.add("Head " + h.status() + " " + h.reason() + " " + h.http11() + " " + h.headers());
                        }
                        case ResponseEvent.BodyChunk c -> {
                            body[0] += c.data().remaining();
                            if (limits.maxBodyBytes() >= 0 && body[0] > limits.maxBodyBytes()) {
                                fail("a body of " + body[0] + " bytes passed maxBodyBytes " + limits.maxBodyBytes());
                            }
                            bodyText.append(StandardCharsets.ISO_8859_1.decode(c.data()));
                        }
                        case ResponseEvent.End e -> {
                            flushBody(lines, bodyText);
                            checkFields(limits, e.trailers());
                            checkReuse(method, last, parser.keepAlive());
                            lines.add("End " + e.trailers() + " keepAlive=" + parser.keepAlive());
                            body[0] = 0;
                            if (parser.keepAlive() && ++responses < MAX_RESPONSES) {
                                parser.begin(method);
                            } else {
                                done = true;
                            }
                        }
                    }
                }
            }
            if (!done && close && responses > 0 && !parser.responseStarted()) {
                lines.add("Closed between responses"); // what a kept connection's idle close looks like
            } else if (!done && close) {
                ResponseEvent.End end = (ResponseEvent.End) parser.endOfInput();
                flushBody(lines, bodyText);
                lines.add("End " + end.trailers() + " at close");
            }
        } catch (HttpProtocolException e) {
            flushBody(lines, bodyText);
            lines.add("Error " + named(e));
        }
        flushBody(lines, bodyText);
        return lines;
    }

    private static void flushBody(List<String> lines, StringBuilder body) {
        if (!body.isEmpty()) {
            lines.add("Body " + body);
            body.setLength(0);
        }
    }

    /**
     * A connection whose response two readers could frame apart is not kept for the next response (RFC 9112 §6.3):
     * chunked beside a Content-Length, or a 204 announcing a body it has not (its late bytes would be read as the next
     * response).
     */
    private static void checkReuse(String method, ResponseEvent.Head head, boolean keepAlive) {
        HttpHeaders fields = head.headers();
        boolean bodiless = method.equals("HEAD") || head.status() == 304 || head.status() < 200
                || method.equals("CONNECT") && head.status() < 300;
        boolean ambiguous = head.status() == 204
                ? fields.contains("Transfer-Encoding") || !fields.all("Content-Length").stream()
                        .allMatch(v -> v.replace(",", "").replace("0", "").isBlank())
                : !bodiless && fields.contains("Transfer-Encoding") && fields.contains("Content-Length");
        assertFalse(keepAlive && ambiguous, () -> "a connection kept after " + head.status() + " " + fields);
    }

    /** A head as a caller may trust it: no field that could split a request it is copied into, within the limits. */
    private static void checkHead(ResponseLimits limits, ResponseEvent.Head head) {
        assertTrue(head.status() >= 100 && head.status() <= 999, "status " + head.status());
        assertFalse(head.reason().contains("\r") || head.reason().contains("\n") || head.reason().contains("\0"),
                "a reason with a line end or NUL: " + head.reason());
        assertTrue(head.reason().length() <= limits.maxStatusLineBytes(), "reason past the status line limit");
        checkFields(limits, head.headers());
    }

    private static void checkFields(ResponseLimits limits, HttpHeaders fields) {
        assertTrue(fields.size() <= limits.maxHeaders(), fields.size() + " fields past maxHeaders");
        for (int i = 0; i < fields.size(); i++) {
            String name = fields.nameAt(i);
            String value = fields.valueAt(i);
            assertTrue(!name.isEmpty() && HttpChars.firstNonTchar(name) < 0, "a field name that is no token: "
                    + name);
            assertFalse(value.contains("\r") || value.contains("\n") || value.contains("\0"),
                    "a field value with a line end or NUL: " + value);
            assertTrue(name.length() + value.length() <= limits.maxHeaderBytes(), "a field past maxHeaderBytes");
        }
    }

    // ---- request heads (the server side) ----

    /**
     * The server's head parser on {@code bytes} as its reader hands them over: up to the first empty line, which is
     * added if missing. A head it accepts is one a handler may trust.
     */
    static String requestHead(byte[] bytes) {
        byte[] head = uptoEmptyLine(bytes);
        try {
            RequestHeadParser.Head parsed = RequestHeadParser.parse(head);
            assertTrue(!parsed.method().isEmpty() && HttpChars.firstNonTchar(parsed.method()) < 0,
                    "a method that is no token: " + parsed.method());
            assertTrue(parsed.target().chars().allMatch(c -> c > 0x20 && c < 0x7f),
                    "a target with a space or control character: " + parsed.target());
            assertTrue(Set.of("HTTP/1.1", "HTTP/1.0").contains(parsed.version()), parsed.version());
            for (int i = 0; i < parsed.headers().size(); i++) {
                String value = parsed.headers().valueAt(i);
                assertFalse(value.chars().anyMatch(c -> (c < 0x20 && c != '\t') || c == 0x7f),
                        "a field value with a control character: " + value);
            }
            if (parsed.version().equals("HTTP/1.1")) {
                assertEquals(1, parsed.headers().all("Host").size(), "Host fields");
            }
            return "Head " + parsed;
        } catch (BadRequestException e) {
            assertTrue(Set.of(400, 431, 505).contains(e.status()), "status " + e.status());
            return "Error " + e.status() + " " + named(e);
        }
    }

    private static byte[] uptoEmptyLine(byte[] bytes) {
        for (int i = 0; i + 3 < bytes.length; i++) {
            if (bytes[i] == '\r' && bytes[i + 1] == '\n' && bytes[i + 2] == '\r' && bytes[i + 3] == '\n') {
                return Arrays.copyOf(bytes, i + 4);
            }
        }
        byte[] head = Arrays.copyOf(bytes, bytes.length + 4);
        System.arraycopy(new byte[] {'\r', '\n', '\r', '\n'}, 0, head, bytes.length, 4);
        return head;
    }

    // ---- WebSocket frames ----

    /**
     * A server's frames through the decoder and the assembler (and permessage-deflate if {@code deflate}), whole and
     * cut at {@code cuts}: the same messages or the same failure, whose close code says why (1002, 1007, 1009).
     */
    static List<String> webSocket(byte[] bytes, int[] cuts, boolean deflate, int maxMessage) {
        List<String> whole = feedFrames(bytes, new int[0], deflate, maxMessage);
        assertEquals(whole, feedFrames(bytes, cuts, deflate, maxMessage), () -> "cut at " + Arrays.toString(cuts));
        return whole;
    }

    private static List<String> feedFrames(byte[] bytes, int[] cuts, boolean deflate, int maxMessage) {
        var decoder = new WebSocketFrameDecoder(PEER, maxMessage, deflate);
        var inflater = deflate ? new WebSocketDeflate(false, false) : null;
        var assembler = new WebSocketAssembler(PEER, maxMessage, inflater);
        List<String> lines = new ArrayList<>();
        try {
            for (ByteBuffer buf : pieces(bytes, cuts, false)) {
                for (int calls = 0; lines.size() < MAX_MESSAGES; calls++) {
                    if (calls > buf.capacity() + 2) {
                        fail("no progress: " + calls + " calls on a piece of " + buf.capacity() + " bytes");
                    }
                    WebSocketFrame frame = decoder.next(buf);
                    if (frame == null) {
                        assertFalse(buf.hasRemaining(), "null with input left");
                        break;
                    }
                    assertTrue(frame.payload().length <= maxMessage, "a frame past the limit");
                    if (frame.opcode() == WebSocketFrame.CLOSE) {
                        lines.add("Close " + WebSocketClose.parse(PEER, frame.payload()));
                    } else if (frame.opcode() >= WebSocketFrame.CLOSE) {
                        assertTrue(frame.fin() && frame.payload().length <= WebSocketFrame.MAX_CONTROL_PAYLOAD,
                                "a fragmented or long control frame");
                        lines.add(WebSocketFrame.opcodeName(frame.opcode()) + " " + frame.payload().length);
                    } else {
                        WebSocketMessage message = assembler.add(frame);
                        if (message != null) {
                            lines.add(describe(message, maxMessage));
                        }
                    }
                }
            }
        } catch (WebSocketException e) {
            int expected = e instanceof WebSocketMessageTooBigException ? WebSocketFrame.MESSAGE_TOO_BIG
                    : e.closeCode();
            assertEquals(expected, e.closeCode(), "the close code of " + e);
            assertTrue(Set.of(1002, 1007, 1009).contains(e.closeCode()), "close code " + e.closeCode());
            lines.add("Error " + e.closeCode() + " " + named(e));
        } finally {
            if (inflater != null) {
                inflater.close();
            }
        }
        return lines;
    }

    private static String describe(WebSocketMessage message, int maxMessage) {
        return switch (message) {
            case WebSocketMessage.Text t -> {
                assertTrue(t.text().length() <= maxMessage, "a text message past the limit");
                yield "Text " + t.text();
            }
            case WebSocketMessage.Binary b -> {
                assertTrue(b.bytes().length <= maxMessage, "a binary message past the limit");
                yield "Binary " + Arrays.toString(b.bytes());
            }
        };
    }

    // ---- Content-Encoding ----

    /**
     * A body in {@code encoding} decoded whole and cut at {@code cuts}: the same bytes, or both refused. With the
     * ratio guard on (as by default), what comes out stays within it.
     */
    static String contentDecoding(String encoding, byte[] bytes, int[] cuts) {
        String whole = decode(encoding, bytes, new int[0], -1);
        assertEquals(whole, decode(encoding, bytes, cuts, -1), () -> "cut at " + Arrays.toString(cuts));
        decode(encoding, bytes, cuts, 2); // a low ratio, so the guard trips on short inputs; it checks the bound
        return whole;
    }

    private static String decode(String encoding, byte[] bytes, int[] cuts, int ratio) {
        long decoded = 0;
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        try (ContentDecoder decoder = ContentDecoder.forEncoding(encoding, ratio)) {
            long compressed = 0;
            for (ByteBuffer buf : pieces(bytes, cuts, false)) {
                compressed += buf.remaining();
                for (int calls = 0; buf.hasRemaining() || decoder.hasPendingOutput(); calls++) {
                    if (calls > 64 + buf.capacity() * 8) {
                        fail("no progress: " + calls + " calls on a piece of " + buf.capacity() + " bytes");
                    }
                    ByteBuffer out = decoder.decode(buf);
                    assertTrue(out.remaining() <= ContentDecoder.MAX_OUTPUT, out.remaining() + " bytes at once");
                    decoded += out.remaining();
                    byte[] copy = new byte[out.remaining()];
                    out.get(copy);
                    crc.update(copy);
                    if (ratio > 0) {
                        long bound = Math.max(ContentDecoder.RATIO_FLOOR, (long) ratio * compressed)
                                + ContentDecoder.MAX_OUTPUT;
                        assertTrue(decoded <= bound, decoded + " bytes from " + compressed + " at ratio " + ratio);
                    }
                }
            }
            decoder.finish();
            return "Decoded " + decoded + " crc " + crc.getValue();
        } catch (HttpProtocolException e) {
            named(e);
            return "Refused";
        }
    }

    // ---- field values the client interprets ----

    /**
     * The field values whose meaning the client reads, each given {@code value}: the framing (Content-Length,
     * Transfer-Encoding) is a length, chunked or a refusal; Retry-After is a wait that is never negative, or none; a
     * WebSocket server's Sec-WebSocket-Extensions is an accepted extension or a refusal.
     */
    static String fieldValues(String value) {
        StringBuilder outcome = new StringBuilder();
        HttpHeaders fields;
        try {
            fields = HttpHeaders.of("Content-Length", value, "Transfer-Encoding", value, "Retry-After", value,
                    "Date", value);
        } catch (IllegalArgumentException e) {
            return "Not a field value"; // a control character: the response parser never hands one on
        }
        try {
            outcome.append("length ").append(Framing.contentLength(fields));
        } catch (HttpProtocolException e) {
            outcome.append("length refused: ").append(named(e));
        }
        try {
            outcome.append(", chunked ").append(Framing.isChunked(fields));
        } catch (HttpProtocolException e) {
            outcome.append(", coding refused: ").append(named(e));
        }
        java.time.Duration wait = RetryAfter.of(fields, 0);
        assertTrue(wait == null || !wait.isNegative(), "a negative wait: " + wait);
        try {
            WebSocketDeflate deflate = WebSocketDeflate.negotiate(List.of(value), true);
            if (deflate != null) {
                deflate.close();
            }
            outcome.append(", extension ").append(deflate != null);
        } catch (WebSocketDeflate.Refused e) {
            named(e);
            outcome.append(", extension refused");
        }
        return outcome.toString();
    }

    // ---- shared ----

    /** {@code bytes} cut at {@code cuts} (ascending offsets inside it), each piece in a buffer of its own. */
    static List<ByteBuffer> pieces(byte[] bytes, int[] cuts, boolean direct) {
        List<ByteBuffer> pieces = new ArrayList<>();
        int from = 0;
        for (int p = 0; p <= cuts.length; p++) {
            int to = p == cuts.length ? bytes.length : Math.max(from, Math.min(bytes.length, cuts[p]));
            ByteBuffer buf = direct ? ByteBuffer.allocateDirect(to - from) : ByteBuffer.allocate(to - from);
            pieces.add(buf.put(bytes, from, to - from).flip());
            from = to;
        }
        return pieces;
    }

    /** A typed failure's message, which must name its cause. */
    private static String named(Exception e) {
        assertTrue(e.getMessage() != null && e.getMessage().length() > 10, () -> "no cause named: " + e);
        return e.getMessage();
    }
}
