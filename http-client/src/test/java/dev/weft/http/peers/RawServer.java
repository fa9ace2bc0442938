package dev.weft.http.peers;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.SocketException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * A misbehaving HTTP server on raw JDK sockets, for the failures no real server shows on demand: each connection it
 * accepts plays the test's {@link Script} on a virtual thread of its own, on the JDK's scheduler even when the server
 * is started in a Weft task — read the request, then write a truncated body, a wrong Content-Length, a garbage status
 * line, drip, stall, never answer, close or reset
 * ({@link RawConnection}; ready-made bytes in {@link RawResponses}).
 *
 * <pre>{@code
 * // Two requests on one keep-alive connection, then the server closes it while the client holds it idle.
 * try (RawServer server = RawServer.start(c -> {
 *     for (int i = 0; i < 2; i++) c.readRequest().write(RawResponses.ok("hi"));
 *     c.close();
 * })) {
 *     ... client GETs server.baseUrl() + "/a" ...
 *     assertEquals("/a", server.requests().get(0).target());
 *     assertEquals(List.of(), server.scriptErrors());
 * }
 * }</pre>
 *
 * <p>It listens on 127.0.0.1 on a free port. Every read a script makes waits at most the I/O timeout (default 10 s).
 * A script that throws — the client closed early, a read timed out — is recorded in {@link #scriptErrors()} (not
 * thrown anywhere), and the connection is closed. {@link #close()} closes the listener and every connection and
 * waits for the scripts to end.
 */
public final class RawServer implements AutoCloseable {
    /** What a server does with each connection it accepts. */
    @FunctionalInterface
    public interface Script {
        void play(RawConnection connection) throws IOException, InterruptedException;
    }

    /** How long a script's read waits by default. */
    public static final Duration DEFAULT_IO_TIMEOUT = Duration.ofSeconds(10);

    private static final Duration CLOSE_WAIT = Duration.ofSeconds(5);

    private final ServerSocket listener;
    private final Script script;
    private final Duration ioTimeout;
    private final Thread acceptor;
    private final List<Socket> sockets = new ArrayList<>();
    private final List<RecordedRequest> requests = new ArrayList<>();
    private final List<Throwable> errors = new ArrayList<>();
    private int finished;
    private boolean closed;

    private RawServer(ServerSocket listener, Script script, Duration ioTimeout) {
        this.listener = listener;
        this.script = script;
        this.ioTimeout = ioTimeout;
        // A platform thread: a virtual thread started in a Weft task would inherit that task's loop as its carrier
        // (the JDK gives a new virtual thread its parent's scheduler), and so would every connection's thread it
        // starts — the server's blocking I/O would then ride the loop under test and die with it.
        this.acceptor = Thread.ofPlatform().daemon().name("raw-server-" + listener.getLocalPort())
                .unstarted(this::accept);
    }

    /** Starts a server that plays {@code script} on every connection, with the default I/O timeout. */
    public static RawServer start(Script script) throws IOException {
        return start(script, DEFAULT_IO_TIMEOUT);
    }

    /** Starts a server that plays {@code script} on every connection; its reads wait at most {@code ioTimeout}. */
    public static RawServer start(Script script, Duration ioTimeout) throws IOException {
        if (ioTimeout.isNegative() || ioTimeout.isZero()) {
            throw new IllegalArgumentException("ioTimeout must be positive (every read has a limit), not " + ioTimeout);
        }
        ServerSocket listener = new ServerSocket();
        listener.bind(new InetSocketAddress("127.0.0.1", 0));
        RawServer server = new RawServer(listener, script, ioTimeout);
        server.acceptor.start();
        return server;
    }

    /** {@code http://127.0.0.1:<port>}, no trailing slash. */
    public String baseUrl() {
        return "http://127.0.0.1:" + port();
    }

    public int port() {
        return listener.getLocalPort();
    }

    public InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** The requests received so far, in the order their heads arrived. */
    public synchronized List<RecordedRequest> requests() {
        return List.copyOf(requests);
    }

    /** How many connections it accepted so far. */
    public synchronized int connections() {
        return sockets.size();
    }

    /** What the scripts threw so far (a client that closed early, a read that timed out), in order. */
    public synchronized List<Throwable> scriptErrors() {
        return List.copyOf(errors);
    }

    /**
     * Waits until the server has accepted at least {@code connections} connections and every script it started has
     * ended — for asserting what a script saw last, such as the client closing
     * ({@link RawConnection#awaitClientClose()}). The count matters: a client's connect returns before the server's
     * accept does.
     *
     * @throws TimeoutException if fewer were accepted, or a script is still playing, after {@code timeout}
     */
    public synchronized void awaitScripts(int connections, Duration timeout)
            throws InterruptedException, TimeoutException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (sockets.size() < connections || finished < sockets.size()) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                throw new TimeoutException("after " + timeout.toMillis() + " ms, " + sockets.size() + " of "
                        + connections + " connections were accepted and " + finished + " scripts had ended");
            }
            wait(Math.max(1, left / 1_000_000));
        }
    }

    /** Closes the listener and every connection, and waits (boundedly) for the scripts to end. Idempotent. */
    @Override
    public void close() {
        List<Socket> open;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            open = List.copyOf(sockets);
        }
        try {
            listener.close();
            for (Socket socket : open) {
                socket.close(); // unblocks a script stuck in a read or a write
            }
            acceptor.join(CLOSE_WAIT);
            awaitScripts(0, CLOSE_WAIT);
        } catch (IOException | TimeoutException e) {
            throw new IllegalStateException("RawServer on port " + port() + " did not close cleanly: " + e, e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void accept() {
        while (true) {
            Socket socket;
            try {
                socket = listener.accept();
            } catch (IOException closedOrBroken) {
                synchronized (this) {
                    if (!closed) {
                        errors.add(closedOrBroken);
                    }
                }
                return;
            }
            synchronized (this) {
                if (closed) {
                    closeQuietly(socket);
                    return;
                }
                int index = sockets.size();
                sockets.add(socket);
                Thread.ofVirtual().name("raw-server-" + port() + "-connection-" + index)
                        .start(() -> play(index, socket));
            }
        }
    }

    private void play(int index, Socket socket) {
        try {
            script.play(new RawConnection(index, socket, this::record, ioTimeout));
        } catch (Exception | AssertionError e) {
            synchronized (this) {
                // Once the test closes the server, a script's broken socket is the close, not a finding.
                if (!(closed && e instanceof SocketException)) {
                    errors.add(e);
                }
            }
        } finally {
            closeQuietly(socket);
            synchronized (this) {
                finished++;
                notifyAll();
            }
        }
    }

    private synchronized void record(RecordedRequest replaced, RecordedRequest request) {
        // By identity: two requests can be equal (same head, both bodies empty) and still be two.
        for (int i = requests.size() - 1; replaced != null && i >= 0; i--) {
            if (requests.get(i) == replaced) {
                requests.set(i, request);
                return;
            }
        }
        requests.add(request);
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // Closing an accepted socket fails only if it is already broken: nothing left to release.
        }
    }
}
