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
 * @param delay   how long the server said it waited before answering (its {@code X-Flag-Delay}), in ms; -1 if
 *                it did not say
 */
record FlagResult(String code, byte[] png, String failure, long delay) {

    /** The answer: its flag if the status is 200, else the status as the failure. */
    static FlagResult answered(String code, int status, byte[] body, String delayHeader) {
        long delay = delayHeader == null ? -1 : parseDelay(delayHeader);
        return status == 200 ? new FlagResult(code, body, null, delay)
                : new FlagResult(code, null, "HTTP " + status, delay);
    }

    /** A failed download, its kind read from the exception (Weft's client or the JDK's). */
    static FlagResult failed(String code, IOException e) {
        return new FlagResult(code, null, kind(e), -1);
    }

    private static long parseDelay(String header) {
        try {
            return Long.parseLong(header.strip());
        } catch (NumberFormatException e) {
            return -1; // not a flag server's: no delay to report
        }
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
