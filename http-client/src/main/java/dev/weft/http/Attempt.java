package dev.weft.http;

import dev.weft.loop.EventLoop;
import dev.weft.loop.UnhandledError;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.List;
import java.util.function.Consumer;

/**
 * One attempt at one hop: how far it got, which decides whether it may be retried, and the events it tells the
 * session's {@link HttpTracer}. A tracer that throws does not break the request: its error goes to the loop's handler.
 * Confined to the sending task.
 */
final class Attempt {
    /** How far an attempt got. Only the order matters. */
    enum Stage {
        /** Waiting for the pool, or connecting: nothing was sent. */
        CONNECTING,
        /** It has a connection and is sending: the server may have the request, but sent nothing back. */
        SENDING,
        /** Bytes of the answer came: sending it again would not be a retry of an unanswered request. */
        ANSWERED
    }

    private final EventLoop loop;
    private final HttpTracer tracer;
    private final OutgoingRequest request;
    private final Origin origin;
    private final int number;
    private Stage stage = Stage.CONNECTING;
    private boolean ended; // done or failed was told

    Attempt(EventLoop loop, HttpTracer tracer, OutgoingRequest request, int number) {
        this.loop = loop;
        this.tracer = tracer;
        this.request = request;
        this.origin = request.origin();
        this.number = number;
    }

    /** Attempt 1 of a hop. */
    static Attempt first(EventLoop loop, HttpTracer tracer, OutgoingRequest request) {
        return new Attempt(loop, tracer, request, 1);
    }

    /** The next attempt at the same hop. */
    Attempt next() {
        return new Attempt(loop, tracer, request, number + 1);
    }

    int number() {
        return number;
    }

    Stage stage() {
        return stage;
    }

    /** The same attempt once more on a fresh connection (a pooled one was stale): the tracer sees it start over. */
    void restart() {
        stage = Stage.CONNECTING;
        ended = false;
    }

    // ---- events

    void poolQueued() {
        tell(t -> tracer.poolQueued(t));
    }

    void dnsStart(String host) {
        tell(t -> tracer.dnsStart(t, host));
    }

    void dnsEnd(String host, List<InetAddress> addresses) {
        tell(t -> tracer.dnsEnd(t, host, addresses));
    }

    void connectStart(List<? extends SocketAddress> addresses) {
        tell(t -> tracer.connectStart(t, addresses));
    }

    void connectEnd(SocketAddress remote) {
        tell(t -> tracer.connectEnd(t, remote));
    }

    void tlsDone() {
        tell(tracer::tlsDone);
    }

    void connectionAcquired(boolean reused) {
        stage = Stage.SENDING;
        tell(t -> tracer.connectionAcquired(t, reused));
    }

    void requestSent(int headBytes, long bodyBytes) {
        tell(t -> tracer.requestHeadersSent(t, headBytes));
        if (bodyBytes >= 0) {
            tell(t -> tracer.requestBodySent(t, bodyBytes));
        }
    }

    /** Bytes of the answer came; told once. */
    void answered() {
        if (stage != Stage.ANSWERED) {
            stage = Stage.ANSWERED;
            tell(tracer::responseStarted);
        }
    }

    /** The response ended; told once, unless the attempt failed first. */
    void done(int status, boolean connectionKept) {
        if (!ended) {
            ended = true;
            tell(t -> tracer.done(t, status, connectionKept));
        }
    }

    /** The attempt failed; told once, unless it ended first. */
    void failed(Throwable error) {
        if (!ended) {
            ended = true;
            tell(t -> tracer.failed(t, error));
        }
    }

    void retrying(Duration delay, String reason) {
        tell(t -> tracer.retrying(t, number + 1, delay, reason));
    }

    private void tell(Consumer<TraceContext> event) {
        if (tracer == HttpTracer.NONE) {
            return; // no context to make for nobody
        }
        try {
            event.accept(new TraceContext(request, origin, number, loop.time()));
        } catch (RuntimeException e) {
            loop.callExceptionHandler(new UnhandledError("the HttpTracer " + tracer + " failed on " + request
                    + "; the request goes on", e));
        }
    }
}
