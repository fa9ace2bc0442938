package dev.weft.loop;

/** Receives errors that nobody awaited. Runs on the loop; must not block. */
@FunctionalInterface
public interface ExceptionHandler {
    void handle(EventLoop loop, UnhandledError error);
}
