package dev.weft.http;

import java.nio.charset.StandardCharsets;
import java.util.Objects;

/**
 * What a {@link RequestHandler} answers: a status, header fields and a whole body. The server adds
 * {@code Content-Length} (and {@code Connection} when it closes), and leaves the body out of an answer to HEAD.
 *
 * @param status  the status code, 100 to 599 (1xx answers other than 101 are the server's own business: refused)
 * @param headers the header fields; {@code Content-Length} and {@code Transfer-Encoding} are the server's to set
 * @param body    the body's bytes, sent as they are; none in a 204 or a 304
 */
public record ServerResponse(int status, HttpHeaders headers, byte[] body) {
    public ServerResponse {
        if (status < 200 || status > 599) {
            throw new IllegalArgumentException("a handler answers with a final status, 200 to 599, not " + status);
        }
        Objects.requireNonNull(headers, "headers");
        Objects.requireNonNull(body, "body");
        if (headers.contains("Content-Length") || headers.contains("Transfer-Encoding")) {
            throw new IllegalArgumentException("the server frames the body itself: leave Content-Length and "
                    + "Transfer-Encoding out of a ServerResponse's headers");
        }
        if ((status == 204 || status == 304) && body.length > 0) {
            // Framed by nothing (RFC 9112 §6.3), the bytes would be read as the start of the next answer.
            throw new IllegalArgumentException("a " + status + " answer has no body; this one has " + body.length
                    + " bytes");
        }
    }

    /** A body of this type. */
    public static ServerResponse of(int status, String contentType, byte[] body) {
        return new ServerResponse(status, HttpHeaders.of("Content-Type", contentType), body);
    }

    /** A UTF-8 text body, {@code text/plain}. */
    public static ServerResponse text(int status, String text) {
        return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
    }

    /** No body. */
    public static ServerResponse empty(int status) {
        return new ServerResponse(status, HttpHeaders.EMPTY, new byte[0]);
    }

    /** This response with one more header field. */
    public ServerResponse withHeader(String name, String value) {
        return new ServerResponse(status, headers.toBuilder().add(name, value).build(), body);
    }
}
