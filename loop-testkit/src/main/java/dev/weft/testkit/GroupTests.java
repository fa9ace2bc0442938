package dev.weft.testkit;

import dev.weft.loop.EventLoop;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;

import java.io.IOException;
import java.io.InputStream;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * What {@link LoopGroupSuite} uses from its clients' side: blocking JDK sockets with timeouts, and a server protocol
 * that echoes and records where each of its callbacks ran.
 */
final class GroupTests {
    private GroupTests() {
    }

    static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), (int) LoopSuite.PATIENCE.toMillis());
        socket.setSoTimeout((int) LoopSuite.PATIENCE.toMillis());
        return socket;
    }

    /** Send the line and read the answer up to its newline; a "ping" line also ends the client's output. */
    static String echo(Socket client, String line) throws IOException {
        client.getOutputStream().write((line + "\n").getBytes(StandardCharsets.US_ASCII));
        if (line.startsWith("ping")) {
            client.shutdownOutput(); // the transport echo sees EOF and closes
        }
        InputStream in = client.getInputStream();
        StringBuilder answer = new StringBuilder();
        int c;
        while ((c = in.read()) >= 0 && c != '\n') {
            answer.append((char) c);
        }
        return answer.toString();
    }

    static Echo take(BlockingQueue<Echo> served) throws InterruptedException {
        Echo next = served.poll(LoopSuite.PATIENCE.toMillis(), TimeUnit.MILLISECONDS);
        assertNotNull(next, "no connection was served within " + LoopSuite.PATIENCE);
        return next;
    }

    static void assertRefused(int port) {
        assertThrows(ConnectException.class, () -> connect(port).close(), "connecting to the closed port " + port);
    }

    static void closeAll(List<Socket> clients) throws IOException {
        for (Socket client : clients) {
            client.close();
        }
    }

    /**
     * A server side that echoes and keeps, for the test's thread, the loop and thread of every callback: used on
     * its loop, read by the test once it was handed over through the queue.
     */
    static final class Echo implements StreamProtocol {
        private final BlockingQueue<Echo> served;
        final List<String> events = new CopyOnWriteArrayList<>();
        final List<EventLoop> loops = new CopyOnWriteArrayList<>();
        final List<Thread> threads = new CopyOnWriteArrayList<>();
        final CompletableFuture<Void> lost = new CompletableFuture<>();
        volatile StreamTransport transport;

        Echo() {
            this(new LinkedBlockingQueue<>());
        }

        Echo(BlockingQueue<Echo> served) {
            this.served = served;
        }

        EventLoop loop() {
            return loops.getFirst();
        }

        int remotePort() {
            return ((InetSocketAddress) transport.remoteAddress()).getPort();
        }

        private void record(String event) {
            events.add(event);
            loops.add(EventLoop.currentOrNull());
            threads.add(Thread.currentThread());
        }

        @Override
        public void connectionMade(StreamTransport transport) {
            this.transport = transport;
            record("made");
            served.add(this);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (!events.getLast().equals("data")) {
                record("data");
            }
            ByteBuffer copy = ByteBuffer.allocate(data.remaining());
            transport.write(copy.put(data).flip());
        }

        @Override
        public boolean eofReceived() {
            record("eof");
            return false;
        }

        @Override
        public void connectionLost(Throwable cause) {
            record("lost");
            lost.complete(null);
        }
    }
}
