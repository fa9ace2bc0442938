package dev.weft.http;

import java.io.IOException;
import java.util.List;

/** A request was redirected more times than its limit allows; the redirects are kept, each response closed. */
public class TooManyRedirectsException extends IOException {
    private final transient List<HttpResponse> history;

    public TooManyRedirectsException(String message, List<HttpResponse> history) {
        super(message);
        this.history = List.copyOf(history);
    }

    /** The redirects followed, first first. */
    public List<HttpResponse> history() {
        return history;
    }
}
