package dev.weft.net;

import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.DeadlineExceededException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;

/**
 * Stream connections and servers for tasks, as asyncio's {@code open_connection} and {@code start_server}, on any loop
 * that implements {@link NetworkLoop}:
 *
 * <pre>{@code
 * StreamServer server = Streams.startServer((reader, writer) -> {
 *     byte[] line;
 *     while ((line = reader.readLine()).length > 0) {
 *         writer.write(line);
 *         writer.drain();
 *     }
 * }, "127.0.0.1", 0);
 *
 * try (StreamConnection c = Streams.openConnection("127.0.0.1", server.port())) {
 *     c.writer().write("hello\n".getBytes(UTF_8));
 *     byte[] echoed = c.reader().readLine();
 * }
 * }</pre>
 *
 * <p>Every method here runs in a task of the current loop, which it suspends while it resolves, connects or binds.
 * Host names are resolved off the loop ({@link java.net.InetAddress#getAllByName} on the loop's default executor; an IP literal
 * is not looked up), and a connection tries the addresses one after another, in the order the resolver gives them,
 * until one connects; racing them (Happy Eyeballs) is not done.
 *
 * <table>
 *   <caption>Connection errors</caption>
 *   <tr><th>what</th><th>thrown</th></tr>
 *   <tr><td>the name is not found</td><td>{@link UnknownHostException} naming the host</td></tr>
 *   <tr><td>refused</td><td>{@link ConnectException} naming the host and port</td></tr>
 *   <tr><td>no route to the host</td><td>{@link NoRouteToHostException} naming the host and port</td></tr>
 *   <tr><td>the connect timeout ({@link SocketOptions#connectTimeout()}) passed</td>
 *       <td>{@link DeadlineExceededException} naming the host and port</td></tr>
 *   <tr><td>the address is taken (servers)</td><td>{@link java.net.BindException} naming the address</td></tr>
 * </table>
 * When several addresses were tried, the error has the type of the first failure, names every address with its
 * failure, and carries the first failure as its cause and the others as suppressed.
 */
public final class Streams {
    private Streams() {
    }

    // ---- clients

    /** {@link #openConnection(String, int, SocketOptions, int)} with the default options and read limit. */
    public static StreamConnection openConnection(String host, int port) throws IOException {
        return openConnection(host, port, SocketOptions.DEFAULTS, StreamReader.DEFAULT_LIMIT);
    }

    /** {@link #openConnection(String, int, SocketOptions, int)} with the default read limit. */
    public static StreamConnection openConnection(String host, int port, SocketOptions options) throws IOException {
        return openConnection(host, port, options, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Connect to the host (a name or an IP literal) and return the connection's reader and writer. Suspends the task.
     *
     * @param limit the reader's {@link StreamReader#limit() limit}
     * @throws UnknownHostException  if the name is not found
     * @throws IOException           if no address connects: see the class comment for the types
     * @throws CancellationException if the task is cancelled meanwhile; nothing is left open
     * @throws BlockingOnLoopException on the loop thread outside a task
     */
    public static StreamConnection openConnection(String host, int port, SocketOptions options, int limit)
            throws IOException {
        NetworkLoop loop = networkLoop("Streams.openConnection");
        checkLimit(limit);
        Objects.requireNonNull(options, "options");
        List<InetSocketAddress> addresses = Resolver.resolve(loop, host, port);
        return connectToAny(loop, NetErrors.hostAndPort(host, port), addresses, options, limit);
    }

    /**
     * Connect to one address, already resolved: TCP ({@link InetSocketAddress}) or, where the backend supports it, a
     * Unix domain socket ({@link java.net.UnixDomainSocketAddress}).
     *
     * @throws IOException if it does not connect: see the class comment for the types
     */
    public static StreamConnection openConnection(SocketAddress address, SocketOptions options, int limit)
            throws IOException {
        NetworkLoop loop = networkLoop("Streams.openConnection");
        checkLimit(limit);
        Objects.requireNonNull(options, "options");
        return connectToAny(loop, NetErrors.describe(address), List.of(address), options, limit);
    }

    // ---- servers

    /** {@link #startServer(ConnectionHandler, String, int, SocketOptions, int)} with the default options and limit. */
    public static StreamServer startServer(ConnectionHandler handler, String host, int port) throws IOException {
        return startServer(handler, host, port, SocketOptions.DEFAULTS, StreamReader.DEFAULT_LIMIT);
    }

    /** {@link #startServer(ConnectionHandler, String, int, SocketOptions, int)} with the default read limit. */
    public static StreamServer startServer(ConnectionHandler handler, String host, int port, SocketOptions options)
            throws IOException {
        return startServer(handler, host, port, options, StreamReader.DEFAULT_LIMIT);
    }

    /**
     * Listen on every address of the host (null: every interface) and serve each connection with the handler, in a
     * task of its own. With port 0 the system picks a free port, and every address of the host gets that one
     * ({@link StreamServer#port()}). Suspends the task while it resolves and binds.
     *
     * @param limit the read limit of every connection's reader
     * @throws UnknownHostException      if the name is not found
     * @throws java.net.BindException    if an address is taken; whatever was bound is closed again
     * @throws CancellationException     if the task is cancelled meanwhile; nothing is left listening
     */
    public static StreamServer startServer(ConnectionHandler handler, String host, int port, SocketOptions options,
                                           int limit) throws IOException {
        NetworkLoop loop = networkLoop("Streams.startServer");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        checkLimit(limit);
        Resolver.checkPort(port);
        List<InetSocketAddress> addresses = host == null
                ? List.of(new InetSocketAddress(port))
                : Resolver.resolve(loop, host, port);
        StreamServer server = new StreamServer(loop, handler, limit);
        try {
            int boundPort = port;
            for (InetSocketAddress address : addresses) {
                server.listen(boundPort == port ? address : new InetSocketAddress(address.getAddress(), boundPort),
                        options);
                if (boundPort == 0) {
                    boundPort = server.port();
                }
            }
        } catch (Throwable t) {
            server.close();
            throw t;
        }
        return server;
    }

    /** Listen on one address, already resolved (TCP, or a Unix domain socket where the backend supports it). */
    public static StreamServer startServer(ConnectionHandler handler, SocketAddress address, SocketOptions options,
                                           int limit) throws IOException {
        NetworkLoop loop = networkLoop("Streams.startServer");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        checkLimit(limit);
        StreamServer server = new StreamServer(loop, handler, limit);
        server.listen(address, options);
        return server;
    }

    // ---- the machinery

    /** Try the addresses in order; return the first connection made, or throw every failure as one. */
    private static StreamConnection connectToAny(NetworkLoop loop, String target, List<? extends SocketAddress> addresses,
                                                 SocketOptions options, int limit) throws IOException {
        List<SocketAddress> tried = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (SocketAddress address : addresses) {
            StreamReaderProtocol protocol = new StreamReaderProtocol(loop, limit, null);
            Future<StreamTransport> connecting = loop.connect(address, protocol, options);
            try {
                connecting.await();
                return protocol.connection();
            } catch (CancellationException e) {
                protocol.abandon();
                throw e;
            } catch (CompletionException e) {
                if (!(e.getCause() instanceof IOException)) {
                    throw e;
                }
                tried.add(address);
                failures.add(e.getCause());
            } catch (DeadlineExceededException | UncheckedIOException e) {
                tried.add(address);
                failures.add(e);
            }
        }
        throw connectFailure(target, tried, failures);
    }

    /**
     * One error for every failed address, typed as the first failure and naming the target, so that callers can
     * catch ConnectException for "refused" whether one address was tried or three.
     */
    private static IOException connectFailure(String target, List<SocketAddress> tried, List<Throwable> failures) {
        Throwable first = failures.getFirst();
        StringBuilder message = new StringBuilder("cannot connect to ").append(target);
        if (failures.size() == 1) {
            String reason = String.valueOf(first.getMessage());
            if (reason.contains(target)) {
                message.setLength(0); // the backend's message names the target already
            } else {
                message.append(": ");
            }
            message.append(reason);
        } else {
            message.append(" at any of its ").append(failures.size()).append(" addresses:");
            for (int i = 0; i < failures.size(); i++) {
                message.append(i == 0 ? " " : "; ").append(NetErrors.describe(tried.get(i))).append(": ")
                        .append(failures.get(i).getMessage());
            }
        }
        String text = message.toString();
        Throwable error = switch (first) {
            case ConnectException e -> new ConnectException(text);
            case NoRouteToHostException e -> new NoRouteToHostException(text);
            case SocketTimeoutException e -> new SocketTimeoutException(text);
            case DeadlineExceededException e -> new DeadlineExceededException(text);
            case BrokenResourceException e -> new BrokenResourceException(text, e.getCause());
            default -> new IOException(text);
        };
        error.initCause(first);
        for (Throwable other : failures.subList(1, failures.size())) {
            error.addSuppressed(other);
        }
        if (error instanceof RuntimeException unchecked) {
            throw unchecked;
        }
        return (IOException) error;
    }

    /** The loop of the calling task, which must provide networking. */
    static NetworkLoop networkLoop(String operation) {
        EventLoop loop = currentTask(operation).loop();
        if (loop instanceof NetworkLoop network) {
            return network;
        }
        throw new UnsupportedOperationException("the " + loop.backendName() + " event loop has no networking (it "
                + "does not implement dev.weft.net.NetworkLoop); run " + operation + " on a backend that has, such "
                + "as -Dweft.loop=nio");
    }

    /** The calling task: the operations here suspend it. */
    static Task<?> currentTask(String operation) {
        Task<?> task = Task.currentOrNull();
        if (task != null) {
            return task;
        }
        if (EventLoop.currentOrNull() != null) {
            throw new BlockingOnLoopException(operation + "()",
                    "call it in a task of the loop (Tasks.spawn / EventLoop.createTask)");
        }
        throw new InvalidStateException(operation + "() runs in a task of an event loop, and thread '"
                + Thread.currentThread().getName() + "' runs none: call it inside Loops.run(...) or a task, or from "
                + "other threads through EventLoop.submit");
    }

    private static void checkLimit(int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the read limit must be positive: " + limit);
        }
    }
}
