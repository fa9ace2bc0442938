package dev.weft.samples;

import dev.weft.http.HttpProtocolException;
import dev.weft.loop.BrokenResourceException;

import java.io.IOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import javax.net.ssl.SSLException;

/**
 * One flag's download: its code and either its PNG or the kind of failure, as {@code weft flags} counts them
 * ({@code HTTP 404}, {@code timeout}, {@code connection reset}...).
 *
 * @param code    the country code, upper case
 * @param png     the image, or null if the download failed
 * @param failure the kind of failure, or null if it succeeded
 */
record FlagResult(String code, byte[] png, String failure) {

    static FlagResult ok(String code, byte[] png) {
        return new FlagResult(code, png, null);
    }

    static FlagResult status(String code, int status) {
        return new FlagResult(code, null, "HTTP " + status);
    }

    /** A failed download, its kind read from the exception (Weft's client or the JDK's). */
    static FlagResult failed(String code, IOException e) {
        return new FlagResult(code, null, kind(e));
    }

    boolean succeeded() {
        return failure == null;
    }

    private static String kind(IOException e) {
        return switch (e) {
            case dev.weft.http.HttpTimeoutException t -> "timeout";
            case java.net.http.HttpTimeoutException t -> "timeout";
            case ConnectException c -> "connection refused";
            case UnknownHostException u -> "unknown host";
            case SSLException s -> "TLS failure";
            case HttpProtocolException p -> "malformed response";
            case BrokenResourceException b -> "connection reset";
            default -> e.getClass().getSimpleName();
        };
    }
}
