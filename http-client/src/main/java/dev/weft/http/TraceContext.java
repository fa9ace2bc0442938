package dev.weft.http;

/**
 * What every {@link HttpTracer} event knows: the request of this hop and attempt, where it goes, and when.
 *
 * @param request the request as sent on this hop (a redirect's target, for a hop after the first)
 * @param origin  where it goes
 * @param attempt 1 for the first attempt of the hop, 2 for its first retry, and so on
 * @param time    when the event happened, in nanoseconds on the session loop's clock ({@code EventLoop.time()})
 */
public record TraceContext(OutgoingRequest request, Origin origin, int attempt, long time) {
}
