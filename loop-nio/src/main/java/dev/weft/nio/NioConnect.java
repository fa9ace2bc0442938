package dev.weft.nio;

import dev.weft.net.Addresses;
import dev.weft.loop.Future;
import dev.weft.loop.TimerHandle;
import dev.weft.net.JdkSockets;
import dev.weft.net.SocketErrors;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;

import java.io.IOException;
import java.net.SocketAddress;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * One connect in progress: a non-blocking {@code connect}, then {@code OP_CONNECT} until {@code finishConnect}
 * succeeds or fails, raced against a loop timer for {@link SocketOptions#connectTimeout()} (zero or null: no limit).
 * Whichever ends it first closes the socket unless it became a transport; cancelling the future abandons the connect.
 *
 * <p>Refused and unreachable keep the JDK's types (ConnectException, NoRouteToHostException), and every failure names
 * the address: see {@link SocketErrors#connectFailed}.
 */
final class NioConnect implements NioEventLoop.Handler {
    private final NioEventLoop loop;
    private final SocketChannel channel;
    private final SocketAddress address;
    private final StreamProtocol protocol;
    private final Future<StreamTransport> result;
    private SelectionKey key;
    private TimerHandle deadline;

    private NioConnect(NioEventLoop loop, SocketChannel channel, SocketAddress address, StreamProtocol protocol,
                       Future<StreamTransport> result) {
        this.loop = loop;
        this.channel = channel;
        this.address = address;
        this.protocol = protocol;
        this.result = result;
    }

    /** Confined to the loop; see {@link dev.weft.net.NetworkLoop#connect}. */
    static Future<StreamTransport> start(NioEventLoop loop, SocketAddress address, StreamProtocol protocol,
                                         SocketOptions options) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options (SocketOptions.DEFAULTS for the defaults)");
        Duration timeout = options.connectTimeout();
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("negative connect timeout: " + timeout);
        }
        var family = JdkSockets.family(address, NioLoopProvider.NAME);
        Future<StreamTransport> result = loop.createFuture();
        SocketChannel channel;
        try {
            channel = SocketChannel.open(family);
        } catch (IOException e) {
            result.setException(SocketErrors.connectFailed(e, address));
            return result;
        }
        new NioConnect(loop, channel, address, protocol, result).begin(options, timeout);
        return result;
    }

    private void begin(SocketOptions options, Duration timeout) {
        try {
            channel.configureBlocking(false);
            JdkSockets.configureConnection(channel, JdkSockets.isTcp(address), options);
            key = channel.register(loop.selector(), 0, this);
            if (channel.connect(address)) { // Unix domain sockets, and sometimes loopback, connect at once
                connected();
                return;
            }
            key.interestOps(SelectionKey.OP_CONNECT);
        } catch (IOException e) {
            fail(SocketErrors.connectFailed(e, address));
            return;
        }
        if (timeout != null && !timeout.isZero()) {
            deadline = loop.callLater(timeout, () -> fail(
                    SocketErrors.connectTimedOut(Addresses.format(address), timeout)));
        }
        result.addDoneCallback(f -> {
            if (f.isCancelled()) {
                abandon();
            }
        });
    }

    /** OP_CONNECT: the handshake ended, one way or the other. */
    @Override
    public void accept(SelectionKey selected) {
        if (result.isDone()) { // cancelled; the done-callback has not run yet
            abandon();
            return;
        }
        try {
            if (!channel.finishConnect()) {
                return;
            }
        } catch (IOException e) {
            fail(SocketErrors.connectFailed(e, address));
            return;
        }
        connected();
    }

    private void connected() {
        if (deadline != null) {
            deadline.cancel();
        }
        NioStreamTransport transport = new NioStreamTransport(loop, channel, key, protocol, null);
        Throwable failed = transport.begin();
        if (failed != null) {
            result.setException(failed); // connectionLost(failed) follows, as for any aborted connection
        } else {
            result.setResult(transport);
        }
    }

    private void fail(Throwable error) {
        if (result.isDone()) {
            return;
        }
        abandon();
        result.setException(error);
    }

    private void abandon() {
        if (deadline != null) {
            deadline.cancel();
        }
        release();
    }

    @Override
    public void release() {
        if (key != null) {
            key.cancel();
        }
        try {
            channel.close();
        } catch (IOException ignored) {
            // never connected: nothing is lost
        }
    }
}
