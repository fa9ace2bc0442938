package dev.weft.testkit;

import dev.weft.loop.Async;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.StreamWriter;
import dev.weft.net.Streams;
import dev.weft.sync.AsyncQueue;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the stream suites share: the address they use, the handlers they serve with, bytes and text. */
final class StreamTests {
    /** Every stream test listens and connects on the loopback address, on ports the system picks. */
    static final String LOCALHOST = "127.0.0.1";
    /** Why a stream suite is skipped on a loop without networking. */
    static final String NEEDS_NETWORK = "streams need a loop that implements dev.weft.net.NetworkLoop";

    private StreamTests() {
    }

    /**
     * In a task: wait on the loop's clock until the condition holds, failing after {@code limit} with the state. For
     * what has no future to await, such as a server's count of connections.
     */
    static void awaitCondition(Duration limit, BooleanSupplier condition, Supplier<String> state) {
        long deadline = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) { // a condition that reads a failed peer's result throws from here
            assertTrue(System.nanoTime() < deadline, () -> "not done within " + limit + ": " + state.get());
            Async.sleep(Duration.ofMillis(5));
        }
    }

    /** A handler that sends back what it reads until the end of the stream, yielding to a slow peer. */
    static void echo(StreamReader reader, StreamWriter writer) throws IOException {
        byte[] chunk;
        while ((chunk = reader.read(64 * 1024)).length > 0) {
            writer.write(chunk);
            writer.drain();
        }
    }

    /** A handler that sends back each line it reads until the end of the stream, with "\n" after each. */
    static void echoLines(StreamReader reader, StreamWriter writer) throws IOException {
        String line;
        while ((line = reader.readLine()) != null) {
            writer.write(line + "\n");
            writer.drain();
        }
    }

    static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    static String text(byte[] bytes) {
        return new String(bytes, StandardCharsets.US_ASCII);
    }

    /** Bytes that differ from run to run of one size only if the seed does. */
    static byte[] randomBytes(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    /**
     * Fill the accept queue of a listener with a backlog of one that never accepts (Linux queues backlog + 1), with
     * blocking connects bounded by a second each: a connect to it then waits, until its timeout.
     */
    static List<Socket> fillAcceptQueue(SocketAddress address) throws IOException {
        List<Socket> fillers = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Socket filler = new Socket();
            fillers.add(filler);
            try {
                filler.connect(address, 1000);
            } catch (SocketTimeoutException full) {
                break; // the queue is full already
            }
        }
        return fillers;
    }

    /**
     * A peer that ended its side (a request, then EOF, as {@code nc -N} sends one) gets an answer in three bursts, each
     * longer than the sockets hold: a burst fills the socket, waits for the peer to read it all, and the next one
     * fills it again. Netty 4.2.18's epoll took such a socket out of its poll set once it had nothing left to wait
     * for, still believed it there, and failed the next write that had to wait (the connection broke mid-answer).
     * Checks every byte; returns, per burst, whether it had to wait for the peer (it must, or nothing was tested).
     * In a task; the server listens on {@code address} (TCP, or a Unix domain socket).
     */
    static List<Boolean> answerInBurstsToAPeerThatEndedItsSide(SocketAddress address) throws Exception {
        int bursts = 3;
        int burstSize = 8 << 20;
        AsyncQueue<Integer> burstsRead = AsyncQueue.fifo(0);
        List<Boolean> burstHadToWait = new ArrayList<>();
        ConnectionHandler answerInBursts = (reader, writer) -> {
            reader.readAll();
            for (int i = 0; i < bursts; i++) {
                writer.write(randomBytes(burstSize, i));
                burstHadToWait.add(writer.transport().writeBufferSize() > 0);
                burstsRead.get(); // the peer read all of it: the socket has nothing left to send
            }
        };
        StreamServer server = Streams.startServer(answerInBursts, address, SocketOptions.DEFAULTS,
                StreamReader.DEFAULT_LIMIT);
        try (StreamConnection c = Streams.openConnection(server.addresses().getFirst(), SocketOptions.DEFAULTS,
                StreamReader.DEFAULT_LIMIT)) {
            c.writer().write(ascii("send it all"));
            c.writer().writeEof();
            try {
                for (int i = 0; i < bursts; i++) {
                    assertArrayEquals(randomBytes(burstSize, i), c.reader().readExactly(burstSize), "burst " + i);
                    burstsRead.put(i);
                }
            } finally {
                burstsRead.shutdown(); // a handler still waiting for the peer ends, if the peer failed
            }
            assertEquals(0, c.reader().read(1).length, "the server closed after the last burst");
        } finally {
            server.close();
            server.awaitClosed();
        }
        return burstHadToWait;
    }
}
