package dev.weft.net;

import dev.weft.loop.LoopClosedException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopGroup;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.RejectedExecutionException;
import java.util.function.Consumer;

/**
 * {@link Streams#startServer} for a whole {@link LoopGroup}: each connection is served by the {@link ConnectionHandler}
 * in a task on the loop that accepted it (or was handed it), as a {@link GroupServer} spreads them. Each loop has a
 * {@link StreamServer} of its own that owns its handler tasks, so everything the single-loop server promises holds per
 * loop: a failing handler harms only its connection, a graceful close lets handlers finish and then cancels them.
 *
 * <p>Thread-safe; {@link #start} runs in a task (which it suspends) or on a thread that runs no loop (which it blocks).
 * Closing the group cancels the handlers still running (their connections are aborted) and closes the server.
 */
public final class GroupStreamServer implements AutoCloseable {
    private final GroupServer listeners;
    private final Map<EventLoop, StreamServer> servers; // one per loop, each confined to its loop

    private GroupStreamServer(GroupServer listeners, Map<EventLoop, StreamServer> servers) {
        this.listeners = listeners;
        this.servers = servers;
    }

    /** {@link #start(LoopGroup, ConnectionHandler, SocketAddress, SocketOptions, Spread)} with the defaults, AUTO. */
    public static GroupStreamServer start(LoopGroup group, ConnectionHandler handler, SocketAddress address)
            throws IOException {
        return start(group, handler, address, SocketOptions.DEFAULTS, Spread.AUTO);
    }

    /**
     * Listen on a resolved address for the group and serve each connection with the handler, on its own loop.
     *
     * @throws java.net.BindException        naming the address if it is taken
     * @throws UnsupportedOperationException as {@link GroupServer#listen(LoopGroup, SocketAddress,
     *                                       java.util.function.Supplier, SocketOptions, Spread)}
     */
    public static GroupStreamServer start(LoopGroup group, ConnectionHandler handler, SocketAddress address,
                                          SocketOptions options, Spread spread) throws IOException {
        Objects.requireNonNull(handler, "handler");
        Map<EventLoop, StreamServer> servers = new IdentityHashMap<>();
        GroupServer listeners = GroupServer.listen(group, address, loop -> {
            StreamServer server = new StreamServer(loop, handler, StreamReader.DEFAULT_LIMIT, null);
            servers.put(loop, server);
            return server::newProtocol;
        }, options, spread);
        return new GroupStreamServer(listeners, Map.copyOf(servers));
    }

    /** How the connections are spread. */
    public Spread spread() {
        return listeners.spread();
    }

    public List<SocketAddress> addresses() {
        return listeners.addresses();
    }

    /** The TCP port it listens on. */
    public int port() {
        return listeners.port();
    }

    /** Stop accepting on every loop; the handlers running go on. Does not wait. Idempotent. */
    @Override
    public void close() {
        listeners.close();
        eachServer(StreamServer::close);
    }

    /**
     * Close, let the running handlers finish within the grace period, then cancel those left; the returned future
     * completes when every loop's handlers have ended (or the group has closed). Does not wait.
     */
    public CompletableFuture<Void> closeGracefully(Duration grace) {
        Objects.requireNonNull(grace, "grace");
        listeners.close();
        return onEveryLoop(server -> server.closeGracefully(grace));
    }

    /** Completes once it is closed and every handler on every loop has ended, or the group has closed. */
    public CompletableFuture<Void> closed() {
        return CompletableFuture.allOf(listeners.closed(), onEveryLoop(StreamServer::awaitClosed))
                .applyToEither(listeners.group().closed(), done -> null);
    }

    @Override
    public String toString() {
        return "GroupStreamServer" + addresses() + "[" + spread() + " over " + listeners.group() + "]";
    }

    /** Run the action on each loop's server, now or soon; a closed loop has ended its server already. */
    private void eachServer(Consumer<StreamServer> action) {
        servers.forEach((loop, server) -> {
            try {
                loop.execute(() -> action.accept(server));
            } catch (RejectedExecutionException | LoopClosedException loopClosed) {
                // closing the loop cancelled the handlers and released the sockets
            }
        });
    }

    /** Run the waiting action in a task on each loop; completes when all have returned, whatever the outcome. */
    private CompletableFuture<Void> onEveryLoop(Consumer<StreamServer> action) {
        List<CompletableFuture<?>> each = new ArrayList<>();
        servers.forEach((loop, server) -> {
            CompletableFuture<Void> done;
            try {
                done = loop.submit(() -> {
                    action.accept(server);
                    return null;
                });
            } catch (RejectedExecutionException | LoopClosedException loopClosed) {
                done = CompletableFuture.completedFuture(null);
            }
            each.add(done.handle((ok, failed) -> null)); // a loop closed under it has ended its handlers too
        });
        return CompletableFuture.allOf(each.toArray(CompletableFuture[]::new));
    }
}
