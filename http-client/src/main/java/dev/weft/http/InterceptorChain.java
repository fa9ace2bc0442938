package dev.weft.http;

import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * The chain one {@code send} runs through: the session's interceptors from {@code index} on, then the session's own
 * sending (redirects, retries, the exchanges), which is the {@code terminal}.
 */
record InterceptorChain(List<Interceptor> interceptors, int index, OutgoingRequest request, Terminal terminal)
        implements Interceptor.Chain {

    /** What the chain ends in: the request sent as it is. */
    @FunctionalInterface
    interface Terminal {
        HttpResponse send(OutgoingRequest request) throws IOException;
    }

    @Override
    public HttpResponse proceed(OutgoingRequest next) throws IOException {
        Objects.requireNonNull(next, "request");
        if (index == interceptors.size()) {
            return terminal.send(next);
        }
        Interceptor interceptor = interceptors.get(index);
        HttpResponse response = interceptor.intercept(new InterceptorChain(interceptors, index + 1, next, terminal));
        return Objects.requireNonNull(response, () -> "interceptor " + interceptor + " returned no response for "
                + next + ": return chain.proceed(request), or a response of its own (HttpResponse.of)");
    }
}
