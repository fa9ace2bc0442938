package dev.weft.vthreads;

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
import java.nio.channels.SocketChannel;
import java.time.Duration;
import java.util.Objects;

/**
 * One connect: started without blocking on the loop, so what the kernel decides at once (Unix domain sockets, and on
 * loopback most handshakes and refusals) is known at once, as on nio — which also lets a connect on loopback win
 * against a timer under virtual time. Otherwise the socket goes back to blocking mode and a virtual thread of its own
 * waits in {@code finishConnect}, raced on the loop against a timer for {@link SocketOptions#connectTimeout()} (zero
 * or null: no limit). Whichever ends it first wins; the timeout and a cancelled future close the socket, which ends
 * the wait, and its outcome is then ignored. The protocol hears nothing of a connect that did not become a transport.
 *
 * <p>Refused and unreachable keep the JDK's types (ConnectException, NoRouteToHostException), and every failure names
 * the address: see {@link SocketErrors#connectFailed}.
 */
final class VirtualThreadConnect implements VirtualThreadEventLoop.Resource {
    private final VirtualThreadEventLoop loop;
    private final SocketChannel channel;
    private final SocketAddress address;
    private final StreamProtocol protocol;
    private final Future<StreamTransport> result;
    private TimerHandle deadline; // loop only

    private VirtualThreadConnect(VirtualThreadEventLoop loop, SocketChannel channel, SocketAddress address,
                                 StreamProtocol protocol, Future<StreamTransport> result) {
        this.loop = loop;
        this.channel = channel;
        this.address = address;
        this.protocol = protocol;
        this.result = result;
    }

    /** Confined to the loop; see {@link dev.weft.net.NetworkLoop#connect}. */
    static Future<StreamTransport> start(VirtualThreadEventLoop loop, SocketAddress address, StreamProtocol protocol,
                                         SocketOptions options) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options (SocketOptions.DEFAULTS for the defaults)");
        Duration timeout = options.connectTimeout();
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("negative connect timeout: " + timeout);
        }
        var family = JdkSockets.family(address, VirtualThreadLoopProvider.NAME);
        Future<StreamTransport> result = loop.createFuture();
        SocketChannel channel = null;
        boolean connected;
        try {
            channel = SocketChannel.open(family);
            JdkSockets.configureConnection(channel, JdkSockets.isTcp(address), options);
            channel.configureBlocking(false);
            connected = channel.connect(address) || channel.finishConnect();
            channel.configureBlocking(true);
        } catch (IOException e) {
            VirtualThreadSockets.closeQuietly(channel);
            result.setException(SocketErrors.connectFailed(e, address));
            return result;
        }
        VirtualThreadConnect connect = new VirtualThreadConnect(loop, channel, address, protocol, result);
        if (connected) {
            connect.connected();
        } else {
            connect.begin(timeout);
        }
        return result;
    }

    private void begin(Duration timeout) {
        loop.register(this);
        if (timeout != null && !timeout.isZero()) {
            deadline = loop.callLater(timeout, () -> fail(
                    SocketErrors.connectTimedOut(Addresses.format(address), timeout)));
        }
        result.addDoneCallback(f -> {
            if (f.isCancelled()) {
                abandon();
            }
        });
        loop.startIoThread("weft-vthreads-connect-" + VirtualThreadSockets.label(address), this::run);
    }

    /** The connect thread: block until the handshake ends one way or the other, then let the loop decide. */
    private void run() {
        try {
            channel.finishConnect(); // blocking mode: parks this thread in the JDK's poller until it is decided
        } catch (IOException e) {
            loop.post(() -> fail(SocketErrors.connectFailed(e, address)));
            return;
        }
        if (!loop.post(this::connected)) {
            release();
        }
    }

    private void connected() {
        if (result.isDone()) { // cancelled or timed out while the connect went through
            abandon();
            return;
        }
        if (deadline != null) {
            deadline.cancel();
        }
        loop.forget(this);
        VirtualThreadStreamTransport transport = new VirtualThreadStreamTransport(loop, channel, protocol, null);
        Throwable failed = transport.begin();
        if (failed != null) {
            result.setException(failed); // connectionLost(failed) follows, as for any aborted connection
        } else {
            result.setResult(transport);
        }
    }

    private void fail(Throwable error) {
        if (result.isDone()) {
            return; // the socket was closed when the future completed: this is the connect giving up
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

    /** Closing the socket ends the blocking connect. */
    @Override
    public void release() {
        VirtualThreadSockets.closeQuietly(channel);
        loop.forget(this);
    }
}
