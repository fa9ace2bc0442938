package dev.weft.http;

import java.io.IOException;
import java.net.URI;

/** A response's status was 4xx or 5xx and {@link HttpResponse#raiseForStatus()} was asked to say so. */
public class HttpStatusException extends IOException {
    private final int status;
    private final transient URI url;

    public HttpStatusException(int status, String reason, String method, URI url) {
        super(method + " " + url + " answered " + status + (reason == null || reason.isEmpty() ? "" : " " + reason));
        this.status = status;
        this.url = url;
    }

    public int status() {
        return status;
    }

    public URI url() {
        return url;
    }
}
