package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.zip.Deflater;
import java.util.zip.GZIPOutputStream;

import static dev.weft.http.Mutations.ascii;

/**
 * Well-formed messages of each kind the parsers read, covering their branches: the seeds that {@link Mutations}
 * breaks in {@link MutatedMessagesTest}.
 */
final class ValidMessages {
    private ValidMessages() {
    }

    /** Responses to GET, each ending the connection's input (kept-alive ones may come several in a row). */
    static final List<byte[]> RESPONSES = List.of(
            ascii("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Type: text/plain\r\n\r\nhello"),
            ascii("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5;name=value\r\nhello\r\n6\r\n world\r\n"
                    + "0\r\nX-Trailer: t\r\n\r\n"),
            ascii("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\nLink: </a>\r\n\r\n"
                    + "HTTP/1.1 204 No Content\r\nX: y\r\n\r\n"),
            ascii("HTTP/1.0 200 OK\r\nContent-Type: text/plain\r\n\r\na body delimited by the close"),
            ascii("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabcHTTP/1.1 404 Not Found\r\nTransfer-Encoding: chunked"
                    + "\r\n\r\n3\r\nxyz\r\n0\r\n\r\nHTTP/1.1 304 Not Modified\r\nETag: \"e\"\r\n\r\n"),
            ascii("HTTP/1.1 200 OK\r\nX-Folded: a\r\n  b\r\n\tc\r\nContent-Length: 0\r\n\r\n"),
            ascii("\r\n\nHTTP/1.1 200\nContent-Length: 2\n\nok"),
            ascii("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n\r\n"
                    + "\u0081\u0002hi"),
            ascii("HTTP/1.1 500 Internal Server Error\r\nConnection: close\r\nContent-Length: 4\r\n\r\nfail"));

    /** Request heads as a server reads them. */
    static final List<byte[]> REQUEST_HEADS = List.of(
            ascii("GET /path?q=1&r=%20 HTTP/1.1\r\nHost: example.com\r\nUser-Agent: weft\r\nAccept: */*\r\n\r\n"),
            ascii("POST /upload HTTP/1.1\r\nHost: a:8080\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n"),
            ascii("GET / HTTP/1.0\r\n\r\n"),
            ascii("\r\n\r\nOPTIONS * HTTP/1.1\r\nHost: a\r\nX-Empty:\r\n\r\n"));

    /** Values of the fields whose meaning the client reads: lengths, codings, waits, dates, extensions. */
    static final List<byte[]> FIELD_VALUES = List.of(ascii("5"), ascii("5, 5"), ascii("chunked"), ascii("120"),
            ascii("Sun, 06 Nov 1994 08:49:37 GMT"),
            ascii("permessage-deflate; server_no_context_takeover; server_max_window_bits=12"),
            ascii("permessage-deflate; client_no_context_takeover; server_max_window_bits=\"10\""));

    /** A server's frames: text, a fragmented binary message with a ping between, a 126-length frame, a close. */
    static final List<byte[]> FRAMES = List.of(
            concat(frame(0x81, ascii("hello")), frame(0x02, ascii("frag")), frame(0x89, ascii("ping")),
                    frame(0x80, ascii("mented")), frame(0x82, new byte[200]),
                    frame(0x88, new byte[] {0x03, (byte) 0xe8, 'b', 'y', 'e'})),
            concat(frame(0x81, "héllo wörld".getBytes(StandardCharsets.UTF_8)), frame(0x8a, new byte[0]),
                    frame(0x88, new byte[0])));

    /** The same, compressed with permessage-deflate (RSV1 on the first frame of a message). */
    static final List<byte[]> DEFLATED_FRAMES = List.of(deflatedFrames());

    /** Bodies in gzip (one member and two) and in deflate (zlib-wrapped and raw). */
    static final List<byte[]> GZIP_BODIES = List.of(gzip(ascii("hello, gzip ".repeat(40))),
            concat(gzip(ascii("first member ")), gzip(ascii("second member"))));
    static final List<byte[]> DEFLATE_BODIES = List.of(deflate(ascii("hello, deflate ".repeat(40)), false),
            deflate(ascii("raw deflate, as some servers send it"), true));

    static byte[] frame(int firstByte, byte[] payload) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(firstByte);
        if (payload.length < 126) {
            out.write(payload.length);
        } else {
            out.write(126);
            out.write(payload.length >> 8);
            out.write(payload.length);
        }
        out.writeBytes(payload);
        return out.toByteArray();
    }

    private static byte[] deflatedFrames() {
        var deflate = new WebSocketDeflate(false, false);
        try {
            byte[] first = deflate.compress(ascii("compressed ".repeat(20)), 0, 220);
            byte[] second = deflate.compress(ascii("and again"), 0, 9);
            byte[] half = java.util.Arrays.copyOf(second, second.length / 2);
            byte[] rest = java.util.Arrays.copyOfRange(second, second.length / 2, second.length);
            return concat(frame(0xc1, first), frame(0x42, half), frame(0x89, new byte[0]), frame(0x80, rest));
        } finally {
            deflate.close();
        }
    }

    static byte[] gzip(byte[] data) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(out)) {
            gz.write(data);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    static byte[] deflate(byte[] data, boolean raw) {
        Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, raw);
        deflater.setInput(data);
        deflater.finish();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[4096];
        while (!deflater.finished()) {
            out.write(chunk, 0, deflater.deflate(chunk));
        }
        deflater.end();
        return out.toByteArray();
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] part : parts) {
            out.writeBytes(part);
        }
        return out.toByteArray();
    }
}
