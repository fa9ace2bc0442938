package dev.weft.http;

/**
 * An {@link HttpServer}'s application: answers one request, in the task that serves the request's connection (it may
 * wait: sleep, call another server, take a lock). Requests on one connection are answered one after the other;
 * connections are served concurrently. An exception answers 500 and is logged; the connection serves on.
 */
@FunctionalInterface
public interface RequestHandler {
    ServerResponse handle(ServerRequest request) throws Exception;
}
