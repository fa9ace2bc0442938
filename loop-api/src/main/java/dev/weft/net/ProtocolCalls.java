package dev.weft.net;

import dev.weft.loop.EventLoop;
import dev.weft.loop.UnhandledError;

import java.util.function.Consumer;

/**
 * How every backend's transports call their protocol at the end, so all speak alike: a callback that threw goes to
 * the loop's exception handler naming the transport, and {@code connectionLost} comes last, in a callback of its own.
 * For backend authors.
 */
public final class ProtocolCalls {
    private ProtocolCalls() {
    }

    /**
     * Tell the loop's exception handler that {@code protocol.<callback>()} threw and the transport is aborted.
     *
     * @param transport names it: "connection with 10.0.0.1:80", "UDP endpoint on 0.0.0.0:5353"
     * @param kind      what is aborted: "connection", "endpoint"
     */
    public static void reportThrew(EventLoop loop, String callback, String transport, String kind, Throwable error) {
        loop.callExceptionHandler(new UnhandledError("protocol." + callback + "() of the " + transport
                + " threw; the " + kind + " is aborted", error));
    }

    /**
     * Call {@code connectionLost} in a later callback of the loop, never inside the call that lost the transport (a
     * protocol may be in the middle of its own callback); what it throws goes to {@code report}.
     */
    public static void connectionLostSoon(EventLoop loop, Runnable connectionLost, Consumer<Throwable> report) {
        loop.callSoon(() -> {
            try {
                connectionLost.run();
            } catch (Throwable t) {
                report.accept(t);
            }
        });
    }
}
