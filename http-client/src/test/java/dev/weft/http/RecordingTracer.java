package dev.weft.http;

import dev.weft.net.Addresses;

import java.net.InetAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/** A tracer that writes down every event, in order, as a short line and with its context, for tests to assert on. */
final class RecordingTracer implements HttpTracer {
    /** One event: its line ({@code "connectionAcquired reused=false"}) and its context. */
    record Event(String line, TraceContext trace) {
        String name() {
            int space = line.indexOf(' ');
            return space < 0 ? line : line.substring(0, space);
        }
    }

    final List<Event> events = new ArrayList<>();
    private Consumer<Event> onEvent = e -> {
    };

    /** Runs {@code action} on each event as it is recorded (in the sending task: it must not wait). */
    RecordingTracer onEvent(Consumer<Event> action) {
        this.onEvent = action;
        return this;
    }

    /** The events' names, in order. */
    List<String> names() {
        return events.stream().map(Event::name).toList();
    }

    /** The events' lines, in order. */
    List<String> lines() {
        return events.stream().map(Event::line).toList();
    }

    /** The events named so. */
    List<Event> named(String name) {
        return events.stream().filter(e -> e.name().equals(name)).toList();
    }

    private void record(TraceContext trace, String line) {
        Event event = new Event(line, trace);
        events.add(event);
        onEvent.accept(event);
    }

    @Override
    public void poolQueued(TraceContext trace) {
        record(trace, "poolQueued");
    }

    @Override
    public void dnsStart(TraceContext trace, String host) {
        record(trace, "dnsStart " + host);
    }

    @Override
    public void dnsEnd(TraceContext trace, String host, List<InetAddress> addresses) {
        record(trace, "dnsEnd " + host + " " + addresses.size() + " addresses");
    }

    @Override
    public void connectStart(TraceContext trace, List<? extends SocketAddress> addresses) {
        record(trace, "connectStart");
    }

    @Override
    public void connectEnd(TraceContext trace, SocketAddress remote) {
        record(trace, "connectEnd " + Addresses.format(remote));
    }

    @Override
    public void tlsDone(TraceContext trace) {
        record(trace, "tlsDone");
    }

    @Override
    public void connectionAcquired(TraceContext trace, boolean reused) {
        record(trace, "connectionAcquired reused=" + reused);
    }

    @Override
    public void requestHeadersSent(TraceContext trace, int bytes) {
        record(trace, "requestHeadersSent");
    }

    @Override
    public void requestBodySent(TraceContext trace, long bytes) {
        record(trace, "requestBodySent " + bytes);
    }

    @Override
    public void responseStarted(TraceContext trace) {
        record(trace, "responseStarted");
    }

    @Override
    public void done(TraceContext trace, int status, boolean connectionKept) {
        record(trace, "done " + status + " kept=" + connectionKept);
    }

    @Override
    public void failed(TraceContext trace, Throwable error) {
        record(trace, "failed " + error.getClass().getSimpleName());
    }

    @Override
    public void retrying(TraceContext trace, int nextAttempt, Duration delay, String reason) {
        record(trace, "retrying " + nextAttempt + " after " + delay.toMillis() + " ms: " + reason);
    }
}
