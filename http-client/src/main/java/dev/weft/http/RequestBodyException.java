package dev.weft.http;

import java.io.IOException;

/**
 * A request's body could not be sent as its head announced it: a producer wrote more or fewer bytes than the length
 * it declared, a file changed size while it was sent, or a one-shot body was asked for a second time. The request is
 * abandoned and its connection closed: the server never takes a body cut short, or the start of another request, for
 * this one's.
 */
public class RequestBodyException extends IOException {
    /** A failure described by {@code message}: what the body did, against what it announced. */
    public RequestBodyException(String message) {
        super(message);
    }
}
