package dev.weft.vthreads;

import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/** The protocols of the cross-loop tests: each records on its own loop and hands the outcome over in a future. */
final class PatternProtocols {
    private PatternProtocols() {
    }

    /** The byte at an offset of the test stream: not all one value, so a lost or reordered chunk shows. */
    static byte patternAt(long offset) {
        return (byte) (offset % 251);
    }

    static byte[] pattern(int size) {
        byte[] bytes = new byte[size];
        for (int i = 0; i < size; i++) {
            bytes[i] = patternAt(i);
        }
        return bytes;
    }

    /** What one end saw, handed over when its connection is lost. */
    record Outcome(List<String> events, byte[] bytes, Throwable cause, boolean allOnLoop) {
    }

    /**
     * Records events and bytes; folds runs of data into one "data". Completes {@link #outcome} at connectionLost.
     * Subclasses act on the events.
     */
    static class Recorder implements StreamProtocol {
        final CompletableFuture<Outcome> outcome = new CompletableFuture<>();
        final CompletableFuture<StreamTransport> made = new CompletableFuture<>();
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream received = new ByteArrayOutputStream();
        StreamTransport transport;
        boolean allOnLoop = true;

        void record(String event) {
            allOnLoop &= transport == null || transport.loop().inLoop();
            if (events.isEmpty() || !events.getLast().equals(event) || !event.equals("data")) {
                events.add(event);
            }
        }

        @Override
        public void connectionMade(StreamTransport transport) {
            this.transport = transport;
            record("made");
            made.complete(transport);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            record("data");
            byte[] copy = new byte[data.remaining()];
            data.get(copy);
            received.writeBytes(copy);
        }

        @Override
        public boolean eofReceived() {
            record("eof");
            return false;
        }

        @Override
        public void connectionLost(Throwable cause) {
            record("lost");
            outcome.complete(new Outcome(List.copyOf(events), received.toByteArray(), cause, allOnLoop));
        }
    }

    /** Echoes what it receives, with asyncio's flow control; on EOF it closes after sending what it holds. */
    static class Echo extends Recorder {
        @Override
        public void dataReceived(ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining());
            copy.put(data.duplicate()).flip();
            super.dataReceived(data);
            transport.write(copy);
        }

        @Override
        public boolean eofReceived() {
            super.eofReceived();
            transport.close(); // after the echo still buffered
            return true;
        }

        @Override
        public void pauseWriting() {
            transport.pauseReading();
        }

        @Override
        public void resumeWriting() {
            transport.resumeReading();
        }
    }

    /** Writes {@code total} bytes of the pattern as flow control lets it, then half-closes; reads the answer. */
    static class Pump extends Recorder {
        private final long total;
        private long written;
        private boolean paused;
        private boolean eofSent;

        Pump(long total) {
            this.total = total;
        }

        @Override
        public void connectionMade(StreamTransport transport) {
            super.connectionMade(transport);
            pump();
        }

        private void pump() {
            while (!paused && written < total && !transport.isClosing()) {
                int size = (int) Math.min(48 * 1024, total - written);
                ByteBuffer chunk = ByteBuffer.allocate(size);
                for (int i = 0; i < size; i++) {
                    chunk.put(patternAt(written + i));
                }
                transport.write(chunk.flip());
                written += size;
            }
            if (written == total && !eofSent && !transport.isClosing()) {
                eofSent = true;
                transport.writeEof(); // goes out after the bytes still buffered
            }
        }

        @Override
        public void pauseWriting() {
            record("pause");
            paused = true;
        }

        @Override
        public void resumeWriting() {
            record("resume");
            paused = false;
            pump();
        }

        /** The events without flow control's pause and resume, the data runs they split folded again. */
        static List<String> withoutFlow(List<String> events) {
            List<String> kept = new ArrayList<>();
            for (String event : events) {
                boolean flow = event.equals("pause") || event.equals("resume");
                boolean dataAgain = event.equals("data") && !kept.isEmpty() && kept.getLast().equals("data");
                if (!flow && !dataAgain) {
                    kept.add(event);
                }
            }
            return kept;
        }
    }
}
