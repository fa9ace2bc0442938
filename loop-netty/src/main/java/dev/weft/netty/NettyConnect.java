package dev.weft.netty;

import dev.weft.net.Addresses;
import dev.weft.loop.Future;
import dev.weft.loop.TimerHandle;
import dev.weft.net.SocketErrors;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;
import io.netty.channel.Channel;

import java.io.IOException;
import java.net.SocketAddress;
import java.time.Duration;
import java.util.Objects;

/**
 * One connect in progress: register a new channel with the loop's Netty loop, connect it, and race that against a
 * Weft timer for {@link SocketOptions#connectTimeout()} (the loop's clock, so virtual time applies; Netty's own connect
 * timeout is turned off). Whichever ends it first closes the channel unless it became a transport; cancelling the
 * future abandons the connect. Failures name the address (see {@link SocketErrors#connectFailed}).
 */
final class NettyConnect {
    private final NettyEventLoop loop;
    private final Channel channel;
    private final SocketAddress address;
    private final NettyStreamTransport transport;
    private final Future<StreamTransport> result;
    private TimerHandle deadline;

    private NettyConnect(NettyEventLoop loop, Channel channel, SocketAddress address, StreamProtocol protocol) {
        this.loop = loop;
        this.channel = channel;
        this.address = address;
        this.transport = new NettyStreamTransport(loop, channel, protocol, null);
        this.result = loop.createFuture();
    }

    /** Confined to the loop; see {@link dev.weft.net.NetworkLoop#connect}. */
    static Future<StreamTransport> start(NettyEventLoop loop, SocketAddress address, StreamProtocol protocol,
                                         SocketOptions options) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options (SocketOptions.DEFAULTS for the defaults)");
        Duration timeout = options.connectTimeout();
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("negative connect timeout: " + timeout);
        }
        SocketAddress target = NettyAddresses.toNetty(address);
        Channel channel = loop.backend().newStreamChannel(address);
        NettyChannels.configureConnection(channel, NettyAddresses.isTcp(address), options);
        NettyConnect connect = new NettyConnect(loop, channel, address, protocol);
        connect.begin(target, timeout);
        return connect.result;
    }

    private void begin(SocketAddress target, Duration timeout) {
        channel.pipeline().addLast(transport.handler());
        if (timeout != null && !timeout.isZero()) {
            deadline = loop.callLater(timeout, () -> fail(
                    SocketErrors.connectTimedOut(Addresses.format(address), timeout)));
        }
        result.addDoneCallback(f -> {
            if (f.isCancelled()) {
                abandon();
            }
        });
        loop.netty().register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                fail(connectFailed(registered.cause()));
            } else if (!result.isDone()) {
                channel.connect(target).addListener(connected -> {
                    if (connected.isSuccess()) {
                        connected();
                    } else {
                        fail(connectFailed(connected.cause()));
                    }
                });
            }
        });
    }

    private void connected() {
        if (result.isDone()) { // cancelled or timed out meanwhile
            abandon();
            return;
        }
        if (deadline != null) {
            deadline.cancel();
        }
        Throwable failed = transport.begin();
        if (failed != null) {
            result.setException(failed); // connectionLost(failed) follows, as for any aborted connection
        } else {
            result.setResult(transport);
        }
    }

    private Throwable connectFailed(Throwable error) {
        return error instanceof IOException io ? SocketErrors.connectFailed(io, address) : error;
    }

    private void fail(Throwable error) {
        if (result.isDone()) {
            return;
        }
        result.setException(error); // first: closing the channel fails the connect again, which must find it done
        abandon();
    }

    private void abandon() {
        if (deadline != null) {
            deadline.cancel();
        }
        transport.abandon(); // closes the channel, and the transport counts as closed (it was counted as opened)
    }
}
