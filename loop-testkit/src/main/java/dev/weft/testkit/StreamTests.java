package dev.weft.testkit;

import dev.weft.net.StreamReader;
import dev.weft.net.StreamWriter;

import java.io.IOException;
import java.net.Socket;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** What the stream suites share: the address they use, the handlers they serve with, bytes and text. */
final class StreamTests {
    /** Every stream test listens and connects on the loopback address, on ports the system picks. */
    static final String LOCALHOST = "127.0.0.1";
    /** Why a stream suite is skipped on a loop without networking. */
    static final String NEEDS_NETWORK = "streams need a loop that implements dev.weft.net.NetworkLoop";

    private StreamTests() {
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
}
