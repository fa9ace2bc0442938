package dev.weft.net;

import dev.weft.loop.Async;
import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.Capability;
import dev.weft.loop.LoopClosedException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.LoopGroup;
import dev.weft.loop.Task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * A server that listens on one address for a whole {@link LoopGroup}, each connection served on one loop of the group
 * (its protocol made there, and all its callbacks run there). How the connections are spread is the {@link Spread}:
 *
 * <ul>
 *   <li>{@link Spread#REUSE_PORT}: every loop listens on the address with SO_REUSEPORT (with port 0, loop 0's bind picks
 *       the port and the others bind that one), and the kernel picks the loop of each connection;</li>
 *   <li>{@link Spread#ACCEPTOR}: loop 0 listens, and hands connection {@code k} to loop {@code k mod size} through
 *       {@link NetworkLoop#listen(SocketAddress, Supplier, SocketOptions, Supplier) listen with a placement};</li>
 *   <li>{@link Spread#AUTO} chooses REUSE_PORT when every loop declares {@link Capability#REUSE_PORT} and the address is
 *       TCP, ACCEPTOR otherwise; with a single loop it listens plainly.</li>
 * </ul>
 *
 * <p>The protocol factory is called on the loop that serves the connection, so from several threads at once: it must
 * be thread-safe (a constructor reference is). Closing the group closes the server and its connections with it.
 *
 * <p>Thread-safe. {@link #listen} runs in a task (which it suspends) or on a thread that runs no loop (which it
 * blocks); the other methods never wait.
 */
public final class GroupServer implements AutoCloseable {
    private final LoopGroup group;
    private final Spread spread;
    private final List<Listener> listeners;
    private final List<SocketAddress> addresses;
    private final AtomicBoolean closing = new AtomicBoolean();
    private final CompletableFuture<Void> closed = new CompletableFuture<>();

    /** One loop's listening socket, and its addresses (read on its loop: a Server is confined to it). */
    private record Listener(NetworkLoop loop, Server server, List<SocketAddress> addresses) {
    }

    private GroupServer(LoopGroup group, Spread spread, List<Listener> listeners) {
        this.group = group;
        this.spread = spread;
        this.listeners = List.copyOf(listeners);
        this.addresses = listeners.getFirst().addresses();
        AtomicInteger open = new AtomicInteger(listeners.size());
        for (Listener listener : listeners) {
            onLoop(listener, () -> listener.server().closed().addDoneCallback(done -> {
                if (open.decrementAndGet() == 0) {
                    closed.complete(null);
                }
            }));
        }
        // A closed loop releases its sockets without completing their servers' closed(): the group's end says it.
        group.closed().thenRun(() -> closed.complete(null));
    }

    /** {@link #listen(LoopGroup, SocketAddress, Supplier, SocketOptions, Spread)} spreading as {@link Spread#AUTO}. */
    public static GroupServer listen(LoopGroup group, SocketAddress address, Supplier<? extends StreamProtocol> protocols,
                                     SocketOptions options) throws IOException {
        return listen(group, address, protocols, options, Spread.AUTO);
    }

    /**
     * Listen on a resolved address for the group, spreading connections as asked.
     *
     * @param protocols makes each connection's protocol, on the loop that serves it; thread-safe
     * @throws java.net.BindException        naming the address if it is taken; nothing is left listening
     * @throws UnsupportedOperationException if a loop has no networking; if REUSE_PORT is asked for where a loop's
     *                                       backend lacks it or the address is not TCP; or, naming the backend, if
     *                                       ACCEPTOR is used on a backend that cannot hand connections to other loops
     * @throws LoopClosedException       if the group is closed
     */
    public static GroupServer listen(LoopGroup group, SocketAddress address, Supplier<? extends StreamProtocol> protocols,
                                     SocketOptions options, Spread spread) throws IOException {
        Objects.requireNonNull(protocols, "protocols");
        return listen(group, address, loop -> protocols, options, spread);
    }

    /** As the public form, with a protocol factory per loop: {@code protocolsOn} is asked once per loop, here. */
    static GroupServer listen(LoopGroup group, SocketAddress address,
                              Function<NetworkLoop, Supplier<? extends StreamProtocol>> protocolsOn,
                              SocketOptions options, Spread spread) throws IOException {
        Objects.requireNonNull(address, "address");
        Objects.requireNonNull(options, "options (SocketOptions.DEFAULTS for the defaults)");
        if (EventLoop.currentOrNull() != null && Task.currentOrNull() == null) {
            // checked before anything binds: the wait below would fail only after the sockets were listening
            throw new BlockingOnLoopException("GroupServer.listen()", "call it in a task, or from a thread that "
                    + "runs no loop");
        }
        List<NetworkLoop> loops = networkLoops(group);
        Spread chosen = choose(group, loops, address, Objects.requireNonNull(spread, "spread"));
        Map<EventLoop, Supplier<? extends StreamProtocol>> factories = new IdentityHashMap<>();
        for (NetworkLoop loop : loops) {
            factories.put(loop, Objects.requireNonNull(protocolsOn.apply(loop), "protocol factory"));
        }
        List<Listener> listeners = chosen == Spread.REUSE_PORT
                ? listenEverywhere(loops, address, factories, options.withReusePort(true))
                : List.of(listenOnFirst(loops, address, factories, options));
        return new GroupServer(group, chosen, listeners);
    }

    /** The spread {@code asked} means for this group and address. */
    private static Spread choose(LoopGroup group, List<NetworkLoop> loops, SocketAddress address, Spread asked) {
        boolean tcp = address instanceof InetSocketAddress;
        // The loops are of one backend (LoopGroup sees to it): the first speaks for all.
        boolean reusePort = tcp && loops.getFirst().capabilities().contains(Capability.REUSE_PORT);
        return switch (asked) {
            case AUTO -> reusePort && loops.size() > 1 ? Spread.REUSE_PORT : Spread.ACCEPTOR;
            case ACCEPTOR -> Spread.ACCEPTOR;
            case REUSE_PORT -> {
                if (!reusePort) {
                    throw new UnsupportedOperationException("Spread.REUSE_PORT: " + (tcp
                            ? "the " + group.backendName() + " loops cannot share a port with SO_REUSEPORT here"
                            : "SO_REUSEPORT is for TCP addresses, not " + Addresses.format(address))
                            + "; use Spread.ACCEPTOR or Spread.AUTO");
                }
                yield Spread.REUSE_PORT;
            }
        };
    }

    private static List<NetworkLoop> networkLoops(LoopGroup group) {
        Objects.requireNonNull(group, "group");
        if (group.isClosed()) {
            throw new LoopClosedException(group + " is closed: a group server needs an open group");
        }
        List<NetworkLoop> loops = new ArrayList<>(group.size());
        for (EventLoop loop : group.loops()) {
            if (!(loop instanceof NetworkLoop network)) {
                throw new UnsupportedOperationException("the " + loop.backendName() + " event loop has no networking "
                        + "(it does not implement dev.weft.net.NetworkLoop); serve with a group of a backend that has");
            }
            loops.add(network);
        }
        return loops;
    }

    /** REUSE_PORT: loop 0 binds first (picking the port if 0 was asked for), then every other loop binds that port. */
    private static List<Listener> listenEverywhere(List<NetworkLoop> loops, SocketAddress address,
                                                   Map<EventLoop, Supplier<? extends StreamProtocol>> factories,
                                                   SocketOptions options) throws IOException {
        List<CompletableFuture<Listener>> listening = new ArrayList<>(loops.size());
        try {
            NetworkLoop first = loops.getFirst();
            listening.add(listenOn(first, () -> first.listen(address, factories.get(first), options)));
            SocketAddress bound = await(listening.getFirst()).addresses().getFirst();
            for (NetworkLoop loop : loops.subList(1, loops.size())) {
                listening.add(listenOn(loop, () -> loop.listen(bound, factories.get(loop), options)));
            }
            List<Listener> listeners = new ArrayList<>(loops.size());
            for (CompletableFuture<Listener> each : listening) {
                listeners.add(await(each));
            }
            return listeners;
        } catch (Throwable failed) {
            listening.forEach(GroupServer::closeOnceListening);
            throw failed;
        }
    }

    /** ACCEPTOR: loop 0 listens and places each connection on the next loop in turn; alone, it just listens. */
    private static Listener listenOnFirst(List<NetworkLoop> loops, SocketAddress address,
                                          Map<EventLoop, Supplier<? extends StreamProtocol>> factories,
                                          SocketOptions options) throws IOException {
        NetworkLoop first = loops.getFirst();
        CompletableFuture<Listener> listening;
        if (loops.size() == 1) {
            listening = listenOn(first, () -> first.listen(address, factories.get(first), options));
        } else {
            int[] nextLoop = {0}; // the placement runs on loop 0 only
            Supplier<NetworkLoop> placement = () -> {
                NetworkLoop chosen = loops.get(nextLoop[0]);
                nextLoop[0] = (nextLoop[0] + 1) % loops.size();
                return chosen;
            };
            Supplier<StreamProtocol> protocols = () -> {
                // The placement contract: the factory runs on the loop chosen for the connection.
                Supplier<? extends StreamProtocol> factory = factories.get(EventLoop.currentOrNull());
                if (factory == null) {
                    throw new IllegalStateException("the " + first.backendName() + " backend made a protocol off "
                            + "the loop it placed the connection on (NetworkLoop.listen with a placement says it must "
                            + "not)");
                }
                return factory.get();
            };
            listening = listenOn(first, () -> first.listen(address, protocols, options, placement));
        }
        try {
            return await(listening);
        } catch (Throwable failed) {
            closeOnceListening(listening);
            throw failed;
        }
    }

    /** Listen in a task on the loop; a closed loop makes a failed future, so the caller's cleanup sees every outcome. */
    private static CompletableFuture<Listener> listenOn(NetworkLoop loop, Supplier<Future<Server>> listen) {
        try {
            return loop.submit(() -> {
                Server server = listen.get().await();
                return new Listener(loop, server, List.copyOf(server.addresses()));
            });
        } catch (RuntimeException e) {
            return CompletableFuture.failedFuture(e);
        }
    }

    /** A listen given up (failed elsewhere, or the caller cancelled): close its server if it binds after all. */
    private static void closeOnceListening(CompletableFuture<Listener> listening) {
        listening.thenAccept(listener -> onLoop(listener, listener.server()::close));
    }

    // ---- the server

    /** How the connections are spread: REUSE_PORT or ACCEPTOR, as chosen when it started. */
    public Spread spread() {
        return spread;
    }

    /** The group it serves. */
    public LoopGroup group() {
        return group;
    }

    /** The addresses it listens on, with the real port when port 0 was asked for. */
    public List<SocketAddress> addresses() {
        return addresses;
    }

    /** The TCP port it listens on. @throws UnsupportedOperationException if it listens on a Unix domain socket */
    public int port() {
        if (addresses.getFirst() instanceof InetSocketAddress inet) {
            return inet.getPort();
        }
        throw new UnsupportedOperationException(this + " has no TCP port");
    }

    /** How many loops listen: the group's size with REUSE_PORT, 1 with ACCEPTOR. */
    public int listenerCount() {
        return listeners.size();
    }

    /** Stop accepting on every loop; connections already accepted go on. Does not wait: see {@link #closed()}. */
    @Override
    public void close() {
        if (closing.compareAndSet(false, true)) {
            listeners.forEach(listener -> onLoop(listener, listener.server()::close));
        }
    }

    /** {@link #close()}, then close every connection it accepted, on whichever loop serves it. Does not wait. */
    public void closeClients() {
        closing.set(true);
        listeners.forEach(listener -> onLoop(listener, listener.server()::closeClients));
    }

    /** Whether {@link #close()} or {@link #closeClients()} was called. */
    public boolean isClosed() {
        return closing.get();
    }

    /** Completes when every loop has stopped accepting (connecting is then refused), or when the group has closed. */
    public CompletableFuture<Void> closed() {
        return closed.copy();
    }

    @Override
    public String toString() {
        return "GroupServer" + addresses + "[" + spread + " over " + group + (closing.get() ? ", closed" : "") + "]";
    }

    // ---- the machinery

    /** Run on the listener's loop; a closed loop took its sockets with it, which leaves nothing to do. */
    private static void onLoop(Listener listener, Runnable action) {
        try {
            listener.loop().execute(action);
        } catch (RejectedExecutionException | LoopClosedException loopClosed) {
            // the loop closed its listening socket as it closed
        }
    }

    /** Await a loop's answer here, rethrowing its failure as thrown on the loop (an IOException unwrapped). */
    private static <T> T await(CompletableFuture<T> answer) throws IOException {
        try {
            return Async.await(answer);
        } catch (CompletionException | UncheckedIOException e) {
            throw sneaky(unwrap(e));
        }
    }

    private static Throwable unwrap(Throwable error) {
        Throwable cause = error;
        while ((cause.getClass() == CompletionException.class || cause.getClass() == UncheckedIOException.class)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }

    /** Rethrow an IOException, RuntimeException or Error as itself; anything else (checked) wrapped. */
    private static IOException sneaky(Throwable error) throws IOException {
        if (error instanceof IOException io) {
            throw io;
        }
        if (error instanceof RuntimeException runtime) {
            throw runtime;
        }
        if (error instanceof Error fatal) {
            throw fatal;
        }
        throw new CompletionException(error);
    }
}
