package dev.weft.net;

import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.UnknownHostException;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.function.Function;

/**
 * Stream connections and servers for tasks, as asyncio's {@code open_connection} and {@code start_server}, on any loop
 * that implements {@link NetworkLoop}:
 *
 * <pre>{@code
 * StreamServer server = Streams.startServer((reader, writer) -> {
 *     String line;
 *     while ((line = reader.readLine()) != null) {
 *         writer.write(line + "\n");
 *         writer.drain();
 *     }
 * }, "127.0.0.1", 0);
 *
 * try (StreamConnection c = Streams.openConnection("127.0.0.1", server.port())) {
 *     c.writer().write("hello\n");
 *     String echoed = c.reader().readLine(); // "hello"
 * }
 * }</pre>
 *
 * <p>Every method here runs in a task of the current loop, which it suspends while it resolves, connects or binds.
 * Host names are resolved off the loop ({@link java.net.InetAddress#getAllByName} on the loop's default executor, the
 * answers cached for the JVM's {@code networkaddress.cache.ttl}: see {@link DnsCache}; an IP literal is not looked up),
 * and a connection races the addresses as Happy Eyeballs (RFC 8305) says ({@link HappyEyeballs}): IPv6 and IPv4
 * interleaved, each next attempt starting when the one before fails or 250 ms after it started; the first to connect
 * wins and the others are cancelled. The connect timeout bounds the whole race.
 *
 * <table>
 *   <caption>Connection errors</caption>
 *   <tr><th>what</th><th>thrown</th></tr>
 *   <tr><td>the name is not found</td><td>{@link UnknownHostException} naming the host</td></tr>
 *   <tr><td>refused</td><td>{@link ConnectException} naming the host and port</td></tr>
 *   <tr><td>no route to the host</td><td>{@link NoRouteToHostException} naming the host and port</td></tr>
 *   <tr><td>the connect timeout ({@link SocketOptions#connectTimeout()}) passed</td>
 *       <td>{@link java.net.SocketTimeoutException} naming the host and port and the limit</td></tr>
 *   <tr><td>the address is taken (servers)</td><td>{@link java.net.BindException} naming the address</td></tr>
 *   <tr><td>the TLS handshake fails</td><td>{@link TlsHandshakeException}, its message starting with why</td></tr>
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
        return connectToAny(loop, Addresses.format(host, port), addresses, options, limit,
                HappyEyeballs.DEFAULT_ATTEMPT_DELAY);
    }

    /**
     * Connect to whichever of the addresses, already resolved, answers first, as {@link #openConnection(String, int,
     * SocketOptions, int)} does with the addresses of a name: Happy Eyeballs (RFC 8305), IPv6 and IPv4 interleaved,
     * the next attempt starting when the one before fails or after the attempt delay.
     *
     * @param target       what errors name, such as {@code example.com:443}
     * @param attemptDelay RFC 8305's "Connection Attempt Delay" ({@link HappyEyeballs#DEFAULT_ATTEMPT_DELAY})
     * @throws IOException if no address connects: see the class comment for the types
     */
    public static StreamConnection openConnection(String target, List<? extends SocketAddress> addresses,
                                                  Duration attemptDelay, SocketOptions options, int limit)
            throws IOException {
        NetworkLoop loop = networkLoop("Streams.openConnection");
        checkLimit(limit);
        Objects.requireNonNull(options, "options");
        Objects.requireNonNull(target, "target");
        return connectToAny(loop, target, addresses, options, limit, attemptDelay);
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
        return connectToAny(loop, Addresses.format(address), List.of(address), options, limit,
                HappyEyeballs.DEFAULT_ATTEMPT_DELAY);
    }

    /**
     * Connect to the host and speak TLS over the connection, verifying the certificate against the options' server
     * name, or the host when it has none (which is also sent as SNI). Suspends the task until the handshake ends.
     *
     * @throws TlsHandshakeException if the handshake fails, saying why (untrusted, hostname mismatch, protocol
     *                               version); nothing is left open
     * @throws IOException           if no address connects: see the class comment for the types
     */
    public static StreamConnection openConnection(String host, int port, SocketOptions options, TlsOptions tls)
            throws IOException {
        NetworkLoop loop = networkLoop("Streams.openConnection");
        Objects.requireNonNull(options, "options");
        TlsOptions named = tls.serverName() == null ? tls.withServerName(host) : tls;
        List<InetSocketAddress> addresses = Resolver.resolve(loop, host, port);
        return connectToAnyTls(loop, Addresses.format(host, port), addresses, options,
                StreamReader.DEFAULT_LIMIT, named, port);
    }

    /**
     * start_tls: upgrade a live plain connection to TLS, as the client ({@code serverSide} false: SNI and hostname
     * verification use the options' server name) or the server. Suspends the task until the handshake ends; the
     * connection's reader and writer go on working, encrypted. Nothing may be written meanwhile.
     *
     * @throws TlsHandshakeException if the handshake fails, saying why; the connection is closed
     * @throws dev.weft.loop.InvalidStateException if bytes received are not read yet (they may be TLS records)
     */
    public static void startTls(StreamConnection connection, TlsOptions tls, boolean serverSide) throws IOException {
        currentTask("Streams.startTls");
        Objects.requireNonNull(tls, "tls");
        StreamReaderProtocol protocol = connection.writer().protocol();
        int port = connection.writer().remoteAddress() instanceof InetSocketAddress inet ? inet.getPort() : 0;
        TlsTransport layer = protocol.startTls(tls.newEngine(!serverSide, port));
        awaitHandshake(layer);
    }

    // ---- servers

    /**
     * {@link #startServer(ConnectionHandler, String, int, SocketOptions, int)} speaking TLS: each handler starts after
     * its connection's handshake; a connection whose handshake fails is closed without reaching the handler.
     */
    public static StreamServer startServer(ConnectionHandler handler, String host, int port, SocketOptions options,
                                           TlsOptions tls) throws IOException {
        Objects.requireNonNull(tls, "tls");
        return startServer(handler, host, port, options, StreamReader.DEFAULT_LIMIT, tls);
    }

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
        return startServer(handler, host, port, options, limit, null);
    }

    private static StreamServer startServer(ConnectionHandler handler, String host, int port, SocketOptions options,
                                            int limit, TlsOptions tls) throws IOException {
        NetworkLoop loop = networkLoop("Streams.startServer");
        Objects.requireNonNull(handler, "handler");
        Objects.requireNonNull(options, "options");
        checkLimit(limit);
        Resolver.checkPort(port);
        List<InetSocketAddress> addresses = host == null
                ? List.of(new InetSocketAddress(port))
                : Resolver.resolve(loop, host, port);
        StreamServer server = new StreamServer(loop, handler, limit, tls);
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
        StreamServer server = new StreamServer(loop, handler, limit, null);
        server.listen(address, options);
        return server;
    }

    // ---- the machinery

    /**
     * Race connections to the addresses (Happy Eyeballs, RFC 8305: interleaved by family, staggered by the attempt
     * delay); return the first connection made, or throw every failure as one. The options' connect timeout bounds
     * the whole race as well as each attempt.
     */
    private static StreamConnection connectToAny(NetworkLoop loop, String target, List<? extends SocketAddress> addresses,
                                                 SocketOptions options, int limit, Duration attemptDelay)
            throws IOException {
        StreamReaderProtocol winner = HappyEyeballs.race(loop, target, HappyEyeballs.interleave(addresses),
                attemptDelay, options.connectTimeout(), address -> attempt(loop, address, options, limit, null),
                StreamReaderProtocol::abandon);
        return winner.connection();
    }

    /** As {@link #connectToAny}, then the TLS handshake on the connection that won, bounded by the same timeout. */
    private static StreamConnection connectToAnyTls(NetworkLoop loop, String target,
                                                    List<? extends SocketAddress> addresses, SocketOptions options,
                                                    int limit, TlsOptions tls, int port) throws IOException {
        java.util.Map<StreamReaderProtocol, TlsTransport> layers = new java.util.IdentityHashMap<>();
        StreamReaderProtocol winner = HappyEyeballs.race(loop, target, HappyEyeballs.interleave(addresses),
                HappyEyeballs.DEFAULT_ATTEMPT_DELAY, options.connectTimeout(),
                address -> attempt(loop, address, options, limit, app -> {
                    TlsTransport layer = new TlsTransport(loop, tls.newEngine(true, port), app);
                    layers.put(app, layer);
                    return layer;
                }),
                loser -> {
                    loser.abandon();
                    layers.get(loser).abort(); // the stream protocol has no transport until the handshake ends
                });
        TlsTransport layer = layers.get(winner);
        layer.limitHandshake(options.connectTimeout(), target); // a server that never answers must not hang us
        awaitHandshake(layer);
        return winner.connection();
    }

    /** Wait for the layer's handshake; on failure close the connection and throw why. */
    private static void awaitHandshake(TlsTransport layer) throws IOException {
        try {
            layer.handshake().await();
        } catch (java.util.concurrent.CompletionException e) {
            layer.abort();
            if (e.getCause() instanceof IOException io) {
                throw io; // the future wraps checked failures; the TLS error is the one to throw
            }
            throw e;
        } catch (RuntimeException | Error e) {
            layer.abort();
            throw e;
        }
    }

    /** One connect whose future, when cancelled, gives the connect up and aborts a connection made meanwhile. */
    private static Future<StreamReaderProtocol> attempt(NetworkLoop loop, SocketAddress address, SocketOptions options,
                                                        int limit,
                                                        Function<StreamReaderProtocol, StreamProtocol> layer) {
        StreamReaderProtocol protocol = new StreamReaderProtocol(loop, limit, null);
        Future<StreamTransport> connecting = loop.connect(address, layer == null ? protocol : layer.apply(protocol),
                options);
        Future<StreamReaderProtocol> outcome = loop.createFuture();
        connecting.addDoneCallback(done -> {
            if (outcome.isDone()) {
                if (!done.isCancelled() && done.exception() == null) {
                    protocol.abandon(); // connected after the race was over: not wanted
                }
            } else if (done.isCancelled()) {
                outcome.cancel();
            } else if (done.exception() != null) {
                outcome.setException(done.exception());
            } else {
                outcome.setResult(protocol);
            }
        });
        outcome.addDoneCallback(done -> {
            if (done.isCancelled()) {
                connecting.cancel();
                protocol.abandon();
            }
        });
        return outcome;
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
