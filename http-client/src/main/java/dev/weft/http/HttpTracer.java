package dev.weft.http;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;

/**
 * Hooks into what a session does for each request, as OkHttp's {@code EventListener} and aiohttp's trace configs:
 * override the events you want, the others do nothing. Set one on the builder ({@link HttpSessionBuilder#tracer}).
 *
 * <p>Events come per hop (each redirect is one) and per attempt (each retry is one), in the sending task, in this
 * order: {@code poolQueued} if the request has to wait for a connection; for a new connection {@code dnsStart} and
 * {@code dnsEnd} (for a host name; an IP literal is not looked up), {@code connectStart}, {@code connectEnd} and,
 * for https, {@code tlsDone}; then {@code connectionAcquired}, {@code requestHeadersSent}, {@code requestBodySent}
 * (with a body), {@code responseStarted}, and at last either {@code done} (the response ended, read or closed) or
 * {@code failed}. A retry follows {@code done} or {@code failed} with {@code retrying}, then the next attempt's events.
 * A pooled connection the server had closed while idle is told as {@code failed}, and the same attempt starts over on
 * a new connection (no {@code retrying}: that resend is not the retry policy's).
 *
 * <p>A tracer runs on the loop, between the steps of a request: it should be quick and must not wait. What it throws
 * goes to the loop's exception handler; the request goes on.
 */
public interface HttpTracer {
    /** A tracer that does nothing. */
    HttpTracer NONE = new HttpTracer() {
    };

    /** The request waits in the pool's queue: the limits are reached. */
    default void poolQueued(TraceContext trace) {
    }

    /** A host name's lookup starts (answered from the loop's DNS cache if fresh). */
    default void dnsStart(TraceContext trace, String host) {
    }

    /** The name was resolved to these addresses. */
    default void dnsEnd(TraceContext trace, String host, List<InetAddress> addresses) {
    }

    /** A new connection is being made to one of these addresses (Happy Eyeballs races them). */
    default void connectStart(TraceContext trace, List<? extends SocketAddress> addresses) {
    }

    /** The connection was made, to this address. */
    default void connectEnd(TraceContext trace, SocketAddress remote) {
    }

    /** The TLS handshake of an https connection ended well. */
    default void tlsDone(TraceContext trace) {
    }

    /** The request has a connection: a pooled one ({@code reused}) or the one just made. */
    default void connectionAcquired(TraceContext trace, boolean reused) {
    }

    /** The connection took the request's head. */
    default void requestHeadersSent(TraceContext trace, int bytes) {
    }

    /** The connection took the request's body. */
    default void requestBodySent(TraceContext trace, long bytes) {
    }

    /** The answer began: its first bytes were read (told once they were parsed, at the latest with its head). */
    default void responseStarted(TraceContext trace) {
    }

    /** The response ended: read to its end or closed; its status, and whether its connection was kept. */
    default void done(TraceContext trace, int status, boolean connectionKept) {
    }

    /** The hop's attempt failed (its connection, if any, was closed). */
    default void failed(TraceContext trace, Throwable error) {
    }

    /** The hop will be sent again after {@code delay}, as attempt {@code nextAttempt}, because of {@code reason}. */
    default void retrying(TraceContext trace, int nextAttempt, Duration delay, String reason) {
    }
}
