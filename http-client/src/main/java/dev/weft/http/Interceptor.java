package dev.weft.http;

import java.io.IOException;

/**
 * Code around every request a session sends, as OkHttp's application interceptors: it sees the request, and either
 * passes it on — as it is, or changed (a header added, a signature, a log line) — with {@link Chain#proceed}, or
 * answers it itself (a cache, a fake) with {@link HttpResponse#of}.
 *
 * <pre>{@code
 * HttpSession session = HttpSession.builder()
 *         .interceptor(chain -> chain.proceed(chain.request().withHeader("X-Request-Id", newId())))
 *         .build();
 * }</pre>
 *
 * <p>Interceptors run in the order they were added to the builder, once per {@link HttpRequest#send()}, in the task
 * that sends, around everything the session does for the request: redirects and retries happen inside
 * {@code proceed}, so an interceptor sees the request as the caller made it and the final response (its
 * {@link HttpResponse#history()} holds the redirects). Each hop and attempt on the wire is what an
 * {@link HttpTracer} sees.
 *
 * <p>An interceptor that does not return the response {@code proceed} gave it must close that one.
 */
@FunctionalInterface
public interface Interceptor {

    /**
     * Answer the chain's request: usually {@code chain.proceed(chain.request())}, possibly with a changed request.
     *
     * @throws IOException as {@link HttpRequest#send()} does; what {@code proceed} throws is best passed on as itself
     */
    HttpResponse intercept(Chain chain) throws IOException;

    /** The request an interceptor is given, and the rest of the chain after it. */
    interface Chain {
        /** The request as the interceptors before this one passed it on. */
        OutgoingRequest request();

        /**
         * Pass the request to the next interceptor, or, after the last one, send it (following redirects, retrying
         * as the policy says); returns once the final response's head arrived. May be called more than once; every
         * call runs within the same total deadline, fixed when {@code send()} was called.
         */
        HttpResponse proceed(OutgoingRequest request) throws IOException;
    }
}
