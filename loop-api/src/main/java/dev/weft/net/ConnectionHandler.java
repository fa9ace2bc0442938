package dev.weft.net;

/**
 * Serves one connection of a {@link StreamServer}, in a task of its own. The connection is closed when the handler
 * returns; if it throws, the failure goes to the loop's exception handler and the connection is closed, while the
 * server serves on.
 */
@FunctionalInterface
public interface ConnectionHandler {
    void handle(StreamReader reader, StreamWriter writer) throws Exception;
}
