package dev.weft.testkit;

import dev.weft.net.Server;
import dev.weft.net.StreamTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

/**
 * Backpressure end to end: a reader that pauses reading fills the kernel's buffers, then the writer's transport
 * buffer, until the writer is told {@code pauseWriting}; a writer that respects it never holds more than the high water
 * mark plus one write; when the reader resumes, the buffer drains, {@code resumeWriting} comes at the low water mark
 * or below, and every byte arrives in order.
 */
@Timeout(value = 30, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
public abstract class TransportFlowControlSuite extends AbstractTransportSuite {
    /** Past this, a writer that was never paused has filled any kernel's buffers many times over. */
    private static final long GIVE_UP = 512L * 1024 * 1024;

    @ParameterizedTest(name = "high={0} low={1} write={2}")
    @CsvSource({"-1, -1, 16384", "32768, 8192, 4096", "0, 0, 1000", "1048576, 262144, 65536",
            "16777216, 4194304, 1048576"})
    void aReaderThatPausesMakesTheWriterPauseAndResumingResumesIt(int high, int low, int chunk) {
        Accepted<RecordingProtocol> accepted = new Accepted<>(PausedReader::new);
        List<Object> seen = run(() -> {
            Server server = listen(accepted);
            Pump pump = new Pump(chunk);
            StreamTransport writer = connect(server, pump);
            if (high >= 0) {
                writer.setWriteBufferLimits(high, low);
            }
            RecordingProtocol reader = accepted.nth(0).await();
            reader.made().await();
            pump.pump(); // until paused
            List<Object> atPause = List.of(pump.paused, reader.receivedCount(), reader.transport().isReading(),
                    writer.writeBufferSize());
            pump.limit = pump.written + Math.max(2 * 1024 * 1024, 2L * high);
            reader.transport().resumeReading();
            reader.received(pump.limit).await();
            writer.close();
            reader.lost().await();
            pump.lost().await();
            server.close();
            return List.of(pump, atPause);
        });
        Pump pump = (Pump) seen.get(0);
        List<?> atPause = (List<?>) seen.get(1);
        int effectiveHigh = high >= 0 ? high : StreamTransport.DEFAULT_HIGH_WATER;
        int effectiveLow = high >= 0 ? low : StreamTransport.DEFAULT_LOW_WATER;
        RecordingProtocol reader = accepted.all().getFirst();

        assertEquals(true, atPause.get(0), "the writer was paused");
        assertEquals(0, atPause.get(1), "a reader that paused reading at connectionMade received nothing");
        assertEquals(false, atPause.get(2), "isReading while paused");
        assertTrue((int) atPause.get(3) > effectiveHigh, "paused only past the high water mark: " + atPause);
        assertTrue(pump.maxBuffered <= effectiveHigh + chunk, "a writer that respects pauseWriting holds at most "
                + "high water + one write: " + pump.maxBuffered + " > " + effectiveHigh + " + " + chunk);
        for (int buffered : pump.bufferedAtResume) {
            assertTrue(buffered <= effectiveLow, "resumed at " + buffered + " bytes, above the low water mark");
        }
        List<String> flow = pump.events().stream().filter(e -> e.equals("pause") || e.equals("resume")).toList();
        for (int i = 0; i < flow.size(); i++) {
            assertEquals(i % 2 == 0 ? "pause" : "resume", flow.get(i), "pause and resume alternate: " + flow);
        }
        assertEquals("resume", flow.getLast(), "the buffer drained before close: " + flow);
        assertEquals(List.of("made", "lost"), pump.eventsWithout("pause", "resume"));
        assertEquals(List.of("made", "data", "eof", "lost"), reader.events());
        assertEquals(pump.limit, reader.receivedCount());
        byte[] got = reader.bytes();
        for (int i = 0; i < got.length; i++) {
            if (got[i] != patternAt(i)) {
                fail("byte " + i + " of " + got.length + " is " + got[i] + ", not " + patternAt(i));
            }
        }
    }

    /** Setting a high water mark below what is buffered pauses the writer at once; draining resumes it. */
    @Test
    void loweringTheHighWaterMarkBelowTheBufferedBytesPausesAtOnce() {
        Accepted<RecordingProtocol> accepted = new Accepted<>(PausedReader::new);
        List<String> events = run(() -> {
            Server server = listen(accepted);
            RecordingProtocol client = new RecordingProtocol();
            StreamTransport writer = connect(server, client);
            writer.setWriteBufferLimits(Integer.MAX_VALUE, 0);
            RecordingProtocol reader = accepted.nth(0).await();
            reader.made().await();
            long written = 0;
            while (writer.writeBufferSize() == 0) {
                writer.write(ByteBuffer.allocate(64 * 1024));
                written += 64 * 1024;
                if (written > GIVE_UP) {
                    fail("wrote " + written + " bytes to a reader that does not read and nothing was buffered");
                }
            }
            List<String> before = client.events();
            writer.setWriteBufferLimits(0, 0);
            List<String> after = client.events();
            reader.transport().resumeReading();
            reader.received(written).await();
            writer.close();
            client.lost().await();
            server.close();
            List<String> result = new ArrayList<>();
            result.add(String.join(",", before));
            result.add(String.join(",", after));
            result.add(String.join(",", client.events()));
            return result;
        });
        assertEquals(List.of("made", "made,pause", "made,pause,resume,lost"), events);
    }

    @Test
    void writeBufferLimitsMustBeOrdered() {
        run(() -> {
            Server server = listen(RecordingProtocol::new);
            StreamTransport transport = connect(server, new RecordingProtocol());
            assertThrows(IllegalArgumentException.class, () -> transport.setWriteBufferLimits(10, 20));
            assertThrows(IllegalArgumentException.class, () -> transport.setWriteBufferLimits(10, -1));
            transport.setWriteBufferLimits(10, 10);
            transport.close();
            server.close();
            return null;
        });
    }

    @Test
    void pauseAndResumeReadingAreIdempotentAndIsReadingTellsTheState() {
        List<Boolean> states = run(() -> {
            Server server = listen(RecordingProtocol::new);
            RecordingProtocol client = new RecordingProtocol();
            StreamTransport transport = connect(server, client);
            List<Boolean> seen = new ArrayList<>();
            seen.add(transport.isReading());
            transport.pauseReading();
            transport.pauseReading();
            seen.add(transport.isReading());
            transport.resumeReading();
            transport.resumeReading();
            seen.add(transport.isReading());
            transport.close();
            seen.add(transport.isReading());
            client.lost().await();
            server.close();
            return seen;
        });
        assertEquals(List.of(true, false, true, false), states);
    }

    private static byte patternAt(long offset) {
        return (byte) (offset % 251);
    }

    /** A server-side protocol that pauses reading as soon as it is connected. */
    private static final class PausedReader extends RecordingProtocol {
        @Override
        public void connectionMade(StreamTransport transport) {
            super.connectionMade(transport);
            transport.pauseReading();
        }
    }

    /**
     * A writer that respects flow control: writes chunks of a known pattern until paused or at its limit, and goes
     * on when resumed. Records the most it ever had buffered, and what was buffered at each resume.
     */
    private static final class Pump extends RecordingProtocol {
        final int chunk;
        final List<Integer> bufferedAtResume = new ArrayList<>();
        long limit = Long.MAX_VALUE;
        long written;
        int maxBuffered;
        boolean paused;

        Pump(int chunk) {
            this.chunk = chunk;
        }

        void pump() {
            StreamTransport transport = transport();
            while (!paused && written < limit && !transport.isClosing()) {
                int size = (int) Math.min(chunk, limit - written);
                ByteBuffer data = ByteBuffer.allocate(size);
                for (int i = 0; i < size; i++) {
                    data.put(patternAt(written + i));
                }
                transport.write(data.flip());
                written += size;
                maxBuffered = Math.max(maxBuffered, transport.writeBufferSize());
                if (written > GIVE_UP) {
                    fail("wrote " + written + " bytes to a reader that does not read and was never paused");
                }
            }
        }

        @Override
        public void pauseWriting() {
            super.pauseWriting();
            paused = true;
        }

        @Override
        public void resumeWriting() {
            super.resumeWriting();
            paused = false;
            bufferedAtResume.add(transport().writeBufferSize());
            pump();
        }
    }
}
