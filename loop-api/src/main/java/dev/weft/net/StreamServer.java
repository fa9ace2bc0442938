package dev.weft.net;

import dev.weft.loop.BusyResourceException;
import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.Future;
import dev.weft.loop.LeakWatch;
import dev.weft.loop.Task;
import dev.weft.loop.UnhandledError;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * A stream server from {@link Streams#startServer}: it serves every connection it accepts with its
 * {@link ConnectionHandler} in a task of its own, named after the peer, and owns those tasks.
 *
 * <ul>
 *   <li>A handler's connection is closed when the handler returns. A handler that throws has its connection closed
 *       and the server serves on; its failure goes to the loop's exception handler, unless its peer caused it (a
 *       reset, say), which is only counted ({@link #brokenByPeers()}) and logged at {@code DEBUG}.</li>
 *   <li>{@link #close()} stops accepting; the handlers running go on. {@link #closeGracefully} also waits for them
 *       for a grace period, then cancels those left (their connections are aborted) and waits for them to end.</li>
 *   <li>{@link #serveForever()} and {@link #awaitClosed()} return once the server is closed and its last handler has
 *       ended. A task cancelled in {@code serveForever()} closes the server, cancels the handlers and waits for them
 *       before it lets the cancellation out, so a server run under a {@link dev.weft.scope.TaskGroup} ends with it.</li>
 * </ul>
 *
 * <p>Confined to its loop; the methods that wait must run in a task of it.
 */
public final class StreamServer implements AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.weft.net");
    private final NetworkLoop loop;
    private final ConnectionHandler handler;
    private final int limit;
    private final TlsOptions tls; // null: plain
    private final List<Server> listeners = new ArrayList<>(1);
    private final Map<Task<Void>, StreamReaderProtocol> connections = new LinkedHashMap<>();
    private final WaitList changes = new WaitList(); // woken when the server closes and when a handler ends
    private boolean closed;
    private Task<?> servingForever;
    private long accepted;
    private long brokenByPeers;
    private final LeakWatch leak; // in debug mode, warns if never closed

    StreamServer(NetworkLoop loop, ConnectionHandler handler, int limit, TlsOptions tls) {
        this.tls = tls;
        this.loop = loop;
        this.handler = handler;
        this.limit = limit;
        this.leak = LeakWatch.open(loop, this, "stream server");
    }

    /** The addresses it listens on, with the real port when port 0 was asked for. */
    public List<SocketAddress> addresses() {
        enter("addresses");
        List<SocketAddress> all = new ArrayList<>();
        for (Server listener : listeners) {
            all.addAll(listener.addresses());
        }
        return all;
    }

    /**
     * The TCP port it listens on (the one the system chose when port 0 was asked for).
     *
     * @throws UnsupportedOperationException if it listens on no TCP address (a Unix domain socket)
     */
    public int port() {
        for (SocketAddress address : addresses()) {
            if (address instanceof InetSocketAddress inet) {
                return inet.getPort();
            }
        }
        throw new UnsupportedOperationException(this + " has no TCP port: it listens on " + addresses());
    }

    /** Whether it accepts connections: not closed, and listening. */
    public boolean isServing() {
        enter("isServing");
        return !closed && listeners.stream().anyMatch(Server::isServing);
    }

    /** How many connections are being served: handlers that have not ended. */
    public int connectionCount() {
        enter("connectionCount");
        return connections.size();
    }

    /**
     * How many handlers ended with a failure their peer caused — a reset, an EOF in mid-message, a TLS alert, input
     * past a limit ({@link PeerErrors}). Those are counted and logged at {@code DEBUG} only, without a stack trace;
     * any other failure of a handler goes to the loop's exception handler.
     */
    public long brokenByPeers() {
        enter("brokenByPeers");
        return brokenByPeers;
    }

    /** Stop accepting connections; the handlers running go on. Does not wait. Idempotent. */
    @Override
    public void close() {
        enter("close");
        if (closed) {
            return;
        }
        closed = true;
        leak.closed();
        for (Server listener : listeners) {
            listener.close();
        }
        changes.wakeAll();
    }

    /**
     * Close, let the running handlers finish within the grace period, then cancel those left (aborting their
     * connections) and wait until they have ended. Called from one of the server's own handlers, it waits for the
     * others only.
     *
     * @throws CancellationException if the task is cancelled meanwhile: the handlers are then cancelled at once, and
     *                               awaited, before it is thrown
     */
    public void closeGracefully(Duration grace) {
        Task<?> self = Streams.currentTask("StreamServer.closeGracefully");
        enter("closeGracefully");
        close();
        long deadline = WaitList.deadline(loop, grace);
        try {
            while (othersRunning(self) && changes.await(loop, deadline)) {
                // woken: a handler ended; look again
            }
        } catch (CancellationException e) {
            cancelHandlers(self, "the task closing the server gracefully was cancelled");
            awaitHandlersToTheEnd(self);
            throw e;
        }
        cancelHandlers(self, "the server's grace period of " + grace + " ran out");
        awaitHandlersToTheEnd(self);
        self.shielded(this::awaitListenersClosed);
        self.checkCancelled(); // a cancellation that came meanwhile goes on now
    }

    /**
     * Suspend the task until the server is closed (by {@link #close()} from a handler or another task, say) and its
     * last handler has ended. Cancelling the task closes the server and cancels its handlers; they are awaited before
     * the cancellation goes on.
     *
     * @throws ClosedResourceException if the server is closed already
     * @throws BusyResourceException   if another task is serving it forever already
     */
    public void serveForever() throws ClosedResourceException {
        Task<?> self = Streams.currentTask("StreamServer.serveForever");
        enter("serveForever");
        if (closed) {
            throw new ClosedResourceException(this + " is closed: serveForever() serves an open server");
        }
        if (servingForever != null) {
            throw new BusyResourceException("task '" + servingForever.name() + "' runs serveForever() on " + this
                    + " already; await awaitClosed() to wait for the server from another task");
        }
        servingForever = self;
        try {
            awaitClosed();
        } catch (CancellationException e) {
            close();
            cancelHandlers(null, "the task serving it forever, '" + self.name() + "', was cancelled");
            awaitHandlersToTheEnd(null);
            throw e;
        } finally {
            servingForever = null;
        }
    }

    /**
     * Suspend the task until the server is closed and its last handler has ended. Cancelling the task stops only the
     * wait.
     */
    public void awaitClosed() {
        Streams.currentTask("StreamServer.awaitClosed");
        enter("awaitClosed");
        while (!closed || !connections.isEmpty()) {
            changes.await(loop);
        }
        awaitListenersClosed();
    }

    @Override
    public String toString() {
        List<SocketAddress> where = new ArrayList<>();
        for (Server listener : listeners) {
            where.addAll(listener.addresses());
        }
        return "StreamServer" + where + "[" + (closed ? "closed" : "serving") + ", " + connections.size()
                + " connections]";
    }

    // ---- the machinery

    /** Listen on one more address. In a task. */
    void listen(SocketAddress address, SocketOptions options) throws IOException {
        Future<Server> listening = loop.listen(address, this::newProtocol, options);
        try {
            Server listener = listening.await();
            listeners.add(listener);
            if (closed) {
                listener.close();
            }
        } catch (CancellationException e) {
            listening.addDoneCallback(done -> {
                if (!done.isCancelled() && done.exception() == null) {
                    done.result().close(); // bound after all, for nobody
                }
            });
            throw e;
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        }
    }

    /**
     * The protocol of one accepted connection, which starts its handler once made: the protocol factory of this
     * server's listeners, and of a {@link GroupStreamServer}'s on this loop. On the loop.
     */
    StreamProtocol newProtocol() {
        StreamReaderProtocol protocol = new StreamReaderProtocol(loop, limit, this::serve);
        if (tls == null) {
            return protocol;
        }
        TlsTransport layer = new TlsTransport(loop, tls.newEngine(false, 0), protocol);
        // A client that fails the handshake is its own problem (it got the alert): the server goes on serving.
        layer.handshake().addDoneCallback(Future::exception);
        return layer;
    }

    /** A connection was made: start its handler. On the loop, in the protocol's connectionMade. */
    private void serve(StreamReaderProtocol protocol) {
        StreamTransport transport = protocol.transport();
        if (closed) {
            transport.abort(); // accepted while the server closed: nobody serves it
            return;
        }
        String name = "stream handler #" + ++accepted + " for " + Addresses.format(transport.remoteAddress());
        Task<Void> task = loop.createTask(name, () -> runHandler(name, protocol));
        connections.put(task, protocol);
        task.addDoneCallback(done -> {
            connections.remove(task);
            if (!transport.isClosing()) {
                transport.abort(); // a handler cancelled before it started never reached runHandler's finally
            }
            changes.wakeAll();
        });
    }

    private Void runHandler(String name, StreamReaderProtocol protocol) {
        StreamWriter writer = protocol.writer();
        boolean cancelled = false;
        try {
            handler.handle(protocol.reader(), writer);
        } catch (CancellationException e) {
            cancelled = true;
            throw e;
        } catch (Throwable t) {
            if (causedByItsPeer(t, protocol.transport())) { // network weather, not a bug: one quiet line, no stack
                brokenByPeers++;
                LOG.log(System.Logger.Level.DEBUG, () -> "weft: " + name + " ended: " + PeerErrors.summary(t));
            } else {
                loop.callExceptionHandler(new UnhandledError(name + " failed; its connection is closed and the "
                        + "server serves on", t));
            }
        } finally {
            if (cancelled) {
                writer.abort();
            } else {
                writer.close();
            }
        }
        return null;
    }

    /**
     * Whether this handler's own peer caused its failure. A broken connection or a TLS failure counts only if it was
     * this handler's connection that was lost: a handler's own connection to elsewhere (a proxy's upstream, a
     * database) that breaks is the program's to handle, and goes to the exception handler.
     */
    private static boolean causedByItsPeer(Throwable error, StreamTransport own) {
        if (!PeerErrors.causedByPeer(error)) {
            return false;
        }
        return own.isClosing() || PeerErrors.isInputError(error);
    }

    private boolean othersRunning(Task<?> self) {
        return connections.size() > (self != null && connections.containsKey(self) ? 1 : 0);
    }

    private void cancelHandlers(Task<?> self, String reason) {
        for (Task<Void> task : List.copyOf(connections.keySet())) {
            if (task != self) {
                task.cancel("the server is closing: " + reason);
            }
        }
    }

    /**
     * Wait until every handler but {@code self} has ended, shielded from the calling task's cancellation: the
     * handlers are stopping, and nothing a server started outlives its closing.
     */
    private void awaitHandlersToTheEnd(Task<?> self) {
        Task.currentOrNull().shielded(() -> {
            while (othersRunning(self)) {
                changes.await(loop);
            }
        });
    }

    private void awaitListenersClosed() {
        for (Server listener : listeners) {
            WaitList.awaitDone(loop, listener.closed());
        }
    }

    private void enter(String operation) {
        if (!loop.inLoop()) {
            throw new WrongThreadException("StreamServer." + operation + "() is confined to its loop, " + loop
                    + "; call it from a task or callback of that loop, or hand the work over with EventLoop.submit");
        }
    }
}
