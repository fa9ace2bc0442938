package dev.weft.supervise;

/**
 * The body of a child that says when it has started: it runs until it returns or fails, and calls
 * {@link StartSignal#started()} once it is ready to serve.
 *
 * <pre>{@code
 * ChildSpec.starting("acceptor", start -> {
 *     try (StreamServer server = listen(address)) {
 *         start.started();       // listening: the supervisor starts the next child
 *         server.serveForever();
 *     }
 * });
 * }</pre>
 */
@FunctionalInterface
public interface ChildBody {
    /** Run the child; call {@code start.started()} once ready. */
    void run(StartSignal start) throws Exception;
}
