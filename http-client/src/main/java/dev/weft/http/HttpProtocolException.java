package dev.weft.http;

import java.io.IOException;

/**
 * A response broke HTTP/1.1's rules or one of the {@link ResponseLimits}: a garbage status line, a header section
 * past its limit, a bad chunk size, a body cut short, undecodable compressed data. The message says what was wrong,
 * where, and which limit when one was hit. An {@code IOException}, so {@code catch (IOException e)} sees it with every
 * other network failure; the connection it came from is never reused.
 */
public class HttpProtocolException extends IOException {
    public HttpProtocolException(String message) {
        super(message);
    }

    public HttpProtocolException(String message, Throwable cause) {
        super(message, cause);
    }
}
