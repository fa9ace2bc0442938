package dev.weft.netty;

import dev.weft.net.Addresses;
import dev.weft.loop.Future;
import dev.weft.loop.TimerHandle;
import dev.weft.loop.UnhandledError;
import dev.weft.net.AcceptBackoff;
import dev.weft.net.NetworkLoop;
import dev.weft.net.Server;
import dev.weft.net.SocketErrors;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ServerChannel;

import java.io.IOException;
import java.net.BindException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.file.Files;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * A listening channel of a {@link NettyEventLoop}: Netty accepts, this handler receives each accepted channel,
 * registers it with the loop that will serve it (its own, or the one a loop group's placement names) and makes its
 * protocol there. When accepting fails for want of file descriptors or memory it stops accepting for a second, as
 * asyncio does, and logs a warning ({@link AcceptBackoff}). Closing a Unix server deletes its socket file.
 */
final class NettyServer extends ChannelInboundHandlerAdapter implements Server {
    private final NettyEventLoop loop;
    private final ServerChannel channel;
    private final ChannelOps ops; // one per channel: operations asked from a task and from a callback keep their order
    private final SocketAddress requested;
    private final Supplier<? extends StreamProtocol> protocols;
    private final SocketOptions options;
    private final Supplier<? extends NetworkLoop> placement; // null: connections stay on this loop
    private final Set<NettyStreamTransport> clients = ConcurrentHashMap.newKeySet(); // on any loop of the placement
    private final Future<Void> closed;
    private final AcceptBackoff backoff = new AcceptBackoff("dev.weft.netty");
    private SocketAddress address;
    private boolean serving = true;
    private boolean stopped; // no longer listening: closed, or the loop is closing
    private TimerHandle acceptRetry;

    private NettyServer(NettyEventLoop loop, ServerChannel channel, SocketAddress requested,
                        Supplier<? extends StreamProtocol> protocols, SocketOptions options,
                        Supplier<? extends NetworkLoop> placement) {
        this.loop = loop;
        this.channel = channel;
        this.ops = new ChannelOps(loop);
        loop.remember(channel);
        this.requested = requested;
        this.protocols = protocols;
        this.options = options;
        this.placement = placement;
        this.closed = loop.createFuture();
    }

    /** Confined to the loop; see {@link dev.weft.net.NetworkLoop#listen}. */
    static Future<Server> listen(NettyEventLoop loop, SocketAddress address, Supplier<? extends StreamProtocol> protocols,
                                 SocketOptions options, Supplier<? extends NetworkLoop> placement) {
        Objects.requireNonNull(protocols, "protocols");
        Objects.requireNonNull(options, "options (SocketOptions.DEFAULTS for the defaults)");
        SocketAddress local = NettyAddresses.toNetty(address);
        Future<Server> result = loop.createFuture();
        if (address instanceof UnixDomainSocketAddress unix && Files.exists(unix.getPath())) {
            // The JDK's bind fails on a path that exists; Netty's removes the file first, which would steal the
            // path of a live server. Keep the JDK's answer.
            result.setException(new BindException("address already in use: " + Addresses.format(address)
                    + " (the file exists; delete it if no server listens there)"));
            return result;
        }
        ServerChannel channel = loop.backend().newServerChannel(address);
        NettyChannels.configureServer(channel, NettyAddresses.isTcp(address), options, loop.backend());
        NettyServer server = new NettyServer(loop, channel, address, protocols, options, placement);
        channel.pipeline().addLast(server);
        loop.netty().register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                result.setException(listenFailed(registered.cause(), address));
                return;
            }
            channel.bind(local).addListener(bound -> {
                if (bound.isSuccess()) {
                    server.address = NettyAddresses.fromNetty(channel.localAddress());
                    loop.remember(server);
                    result.setResult(server);
                } else {
                    channel.close();
                    result.setException(listenFailed(bound.cause(), address));
                }
            });
        });
        return result;
    }

    private static Throwable listenFailed(Throwable error, SocketAddress address) {
        return error instanceof IOException io ? SocketErrors.listenFailed(io, address) : error;
    }

    // ---- accepting

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        loop.counters().ioEvent();
        Channel client = (Channel) message;
        if (!serving) {
            client.unsafe().closeForcibly();
            return;
        }
        NettyEventLoop target;
        try {
            target = placement == null ? loop : targetOf(placement.get());
        } catch (Throwable t) {
            client.unsafe().closeForcibly();
            report("the placement of a connection failed; the connection is closed", t);
            return;
        }
        NettyChannels.configureConnection(client, NettyAddresses.isTcp(requested), options);
        // The handler goes in before registration, run by the target as it registers the channel: a listener on the
        // registration could run after the target has started reading, and the first bytes would pass no one.
        client.pipeline().addLast(new ChannelInitializer<>() {
            @Override
            protected void initChannel(Channel registered) {
                serve(target, registered); // on the target's thread
            }
        });
        target.netty().register(client).addListener(registered -> {
            if (!registered.isSuccess()) {
                client.unsafe().closeForcibly(); // the target loop is closing: there is no one to tell
            }
        });
    }

    private NettyEventLoop targetOf(NetworkLoop chosen) {
        if (chosen instanceof NettyEventLoop netty && netty.backend().getClass() == loop.backend().getClass()) {
            return netty;
        }
        throw new IllegalArgumentException("a " + loop.backendName() + " server can only hand connections to "
                + loop.backendName() + " loops, not to " + chosen);
    }

    private void serve(NettyEventLoop target, Channel client) {
        StreamProtocol protocol;
        try {
            protocol = Objects.requireNonNull(protocols.get(), "the protocol factory returned null");
        } catch (Throwable t) {
            client.close();
            report("the protocol factory threw; the connection is closed", t);
            return;
        }
        NettyStreamTransport transport = new NettyStreamTransport(target, client, protocol, this);
        client.pipeline().addLast(transport.handler());
        clients.add(transport);
        Throwable failed = transport.begin();
        if (failed != null) {
            report("connectionMade() threw; the connection is aborted", failed);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        if (stopped) {
            return; // the accept pending when we stopped listening fails (EINVAL): nothing went wrong
        }
        if (AcceptBackoff.isExhaustion(cause)) {
            backoff.backingOff(address, cause);
            if (acceptRetry != null) {
                // Backing off already. Only an accept re-armed whatever autoRead says gets here: io_uring's multishot
                // accept, which loop-iouring turns off unless told otherwise. Count it; one timer is enough.
                return;
            }
            // Off until the timer: Netty cancels what it had asked of the kernel and asks for no more accepts.
            channel.config().setAutoRead(false);
            acceptRetry = loop.callLater(AcceptBackoff.RETRY_DELAY, () -> {
                acceptRetry = null;
                if (serving) {
                    ops.run(() -> channel.config().setAutoRead(true));
                }
            });
        } else {
            backoff.failedOnce(address, cause);
        }
    }

    /** Refuse connections from now on; the channel still needs closing. Returns it. */
    ServerChannel stopListening() {
        stopped = true;
        loop.backend().stopListening(channel);
        return channel;
    }

    /** A connection it accepted is gone. */
    void forget(NettyStreamTransport client) {
        clients.remove(client);
    }

    // ---- closing

    @Override
    public void close() {
        loop.checkNetworkConfined("close");
        if (!serving) {
            return;
        }
        serving = false;
        if (acceptRetry != null) {
            acceptRetry.cancel();
        }
        loop.forget(this);
        ops.run(() -> stopListening().close().addListener(done -> {
            deleteSocketFile();
            if (!loop.releasing()) {
                closed.setResult(null);
            }
        }));
    }

    @Override
    public void closeClients() {
        close();
        for (NettyStreamTransport client : List.copyOf(clients)) {
            if (client.loop() == loop) {
                client.close();
            } else {
                client.loop().execute(client::close); // it belongs to another loop of the group
            }
        }
    }

    /** Delete the socket file of a Unix server; nothing for another. */
    void deleteSocketFile() {
        if (address instanceof UnixDomainSocketAddress unix) {
            try {
                Files.deleteIfExists(unix.getPath());
            } catch (IOException e) {
                report("cannot delete the socket file; the next server on this path will not bind", e);
            }
        }
    }

    @Override
    public Future<Void> closed() {
        return closed;
    }

    @Override
    public boolean isServing() {
        return serving;
    }

    @Override
    public List<SocketAddress> addresses() {
        return List.of(Addresses.printable(address));
    }

    /** The listening channel, for tests of the options applied to it. */
    ServerChannel channel() {
        return channel;
    }

    private void report(String what, Throwable error) {
        loop.callExceptionHandler(new UnhandledError("server on " + Addresses.format(address) + ": " + what,
                error));
    }

    @Override
    public String toString() {
        return "NettyServer[" + loop.backendName() + ", " + Addresses.format(address)
                + (serving ? ", serving" : ", closed") + ", clients=" + clients.size() + "]";
    }
}
