package dev.weft.testkit;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * A {@link StreamProtocol} that records what its transport calls, in order, keeps a copy of every byte received, and
 * lets a test await each step. Create it on the loop (in a task, a callback, or a server's protocol factory); extend
 * it, calling {@code super}, to act on the events too.
 *
 * <p>{@link #events()} is the call sequence with runs of {@code dataReceived} folded into one {@code "data"}:
 * {@code [made, data, eof, lost]}. A call made off the loop thread, or after {@code connectionLost}, shows up in it
 * as {@code "off-loop: ..."} or {@code "after lost: ..."}, so an assertion on the events catches it.
 */
public class RecordingProtocol implements StreamProtocol {
    private final EventLoop loop;
    private final List<String> events = new ArrayList<>();
    private final ByteArrayOutputStream received = new ByteArrayOutputStream();
    private final Future<StreamTransport> made;
    private final Future<Void> eof;
    private final Future<Throwable> lost;
    private final TreeMap<Long, List<Future<Void>>> byteWaiters = new TreeMap<>();
    private boolean keepOpenOnEof;
    private StreamTransport transport;

    /** A protocol on the current loop. */
    public RecordingProtocol() {
        this(EventLoop.current());
    }

    public RecordingProtocol(EventLoop loop) {
        this.loop = loop;
        this.made = loop.createFuture();
        this.eof = loop.createFuture();
        this.lost = loop.createFuture();
    }

    /** Answer {@code true} to {@code eofReceived}: stay open for writing after the peer's EOF. */
    public RecordingProtocol keepOpenOnEof() {
        keepOpenOnEof = true;
        return this;
    }

    // ---- the callbacks

    @Override
    public void connectionMade(StreamTransport transport) {
        record("made");
        this.transport = transport;
        made.setResult(transport);
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        if (events.isEmpty() || !events.getLast().equals("data")) {
            record("data");
        }
        if (data.hasArray()) {
            received.write(data.array(), data.arrayOffset() + data.position(), data.remaining());
        } else {
            byte[] copy = new byte[data.remaining()];
            data.duplicate().get(copy);
            received.writeBytes(copy);
        }
        wakeByteWaiters();
    }

    @Override
    public boolean eofReceived() {
        record("eof");
        eof.setResult(null);
        return keepOpenOnEof;
    }

    @Override
    public void pauseWriting() {
        record("pause");
    }

    @Override
    public void resumeWriting() {
        record("resume");
    }

    @Override
    public void connectionLost(Throwable cause) {
        record("lost");
        if (!lost.isDone()) {
            lost.setResult(cause);
        }
    }

    private void record(String event) {
        String entry = event;
        if (!loop.inLoop()) {
            entry = "off-loop: " + entry;
        }
        if (lost.isDone()) {
            entry = "after lost: " + entry;
        }
        events.add(entry);
    }

    // ---- what a test reads and awaits (on the loop, or after it stopped)

    /** The calls so far, {@code dataReceived} runs folded into one "data". */
    public List<String> events() {
        return List.copyOf(events);
    }

    /**
     * {@link #events()} without the given ones, say "pause" and "resume" where flow control may or may not kick in;
     * the "data" runs they separated fold into one.
     */
    public List<String> eventsWithout(String... ignored) {
        List<String> kept = new ArrayList<>();
        for (String event : events) {
            boolean dataAgain = event.equals("data") && !kept.isEmpty() && kept.getLast().equals("data");
            if (!List.of(ignored).contains(event) && !dataAgain) {
                kept.add(event);
            }
        }
        return kept;
    }

    /** How many times the event was recorded. */
    public long count(String event) {
        return events.stream().filter(event::equals).count();
    }

    /** Completes with the transport when {@code connectionMade} is called. */
    public Future<StreamTransport> made() {
        return made;
    }

    /** Completes when {@code eofReceived} is called. */
    public Future<Void> eof() {
        return eof;
    }

    /** Completes with the cause given to {@code connectionLost} (null for a clean close). */
    public Future<Throwable> lost() {
        return lost;
    }

    /** Completes once at least this many bytes have arrived. */
    public Future<Void> received(long atLeast) {
        Future<Void> waiter = loop.createFuture();
        byteWaiters.computeIfAbsent(atLeast, n -> new ArrayList<>()).add(waiter);
        wakeByteWaiters();
        return waiter;
    }

    private void wakeByteWaiters() {
        Iterator<Map.Entry<Long, List<Future<Void>>>> due =
                byteWaiters.headMap((long) received.size(), true).entrySet().iterator();
        while (due.hasNext()) {
            for (Future<Void> waiter : due.next().getValue()) {
                if (!waiter.isDone()) {
                    waiter.setResult(null);
                }
            }
            due.remove();
        }
    }

    /** The transport given to {@code connectionMade}, or null before it. */
    public StreamTransport transport() {
        return transport;
    }

    public int receivedCount() {
        return received.size();
    }

    public byte[] bytes() {
        return received.toByteArray();
    }

    /** The bytes received, as UTF-8. */
    public String text() {
        return received.toString(StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + events + "(" + received.size() + " bytes)";
    }
}
