package dev.weft.nio;

import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.net.DatagramOptions;
import dev.weft.net.DatagramProtocol;
import dev.weft.net.DatagramTransport;
import dev.weft.net.JdkSockets;
import dev.weft.net.ProtocolCalls;
import dev.weft.net.SocketErrors;

import java.io.IOException;
import java.net.PortUnreachableException;
import java.net.ProtocolFamily;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.DatagramChannel;
import java.nio.channels.SelectionKey;
import java.util.ArrayDeque;
import java.util.Objects;

/**
 * A UDP endpoint on a {@link NioEventLoop}, as asyncio's datagram transport.
 *
 * <p><b>Receiving:</b> on each read-ready selection it receives every queued datagram into the loop's read buffer
 * (256 KiB, more than the largest datagram), which {@code datagramReceived} sees only during the call. A receive
 * error (on a connected endpoint, the ICMP port unreachable of an earlier send) goes to {@code errorReceived}, and the
 * endpoint stays open.
 *
 * <p><b>Sending:</b> with nothing queued, {@link #send} sends at once; a datagram the socket cannot take now is queued
 * with its target, {@code OP_WRITE} is set, and write-ready selections send the queue in order. Send errors go to
 * {@code errorReceived}. {@link #close()} waits for the queue; {@link #abort()} drops it. {@code connectionLost} comes
 * once, last.
 */
final class NioDatagramTransport implements DatagramTransport, NioEventLoop.Handler {
    private record Pending(ByteBuffer data, SocketAddress target) {
    }

    private final NioEventLoop loop;
    private final DatagramChannel channel;
    private final SelectionKey key;
    private final DatagramProtocol protocol;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long queuedBytes;
    private boolean closing;
    private boolean lost;
    private Throwable lostCause;
    private int interestOps;

    private NioDatagramTransport(NioEventLoop loop, DatagramChannel channel, SelectionKey key,
                                 DatagramProtocol protocol) {
        this.loop = loop;
        this.channel = channel;
        this.key = key;
        this.protocol = protocol;
        this.localAddress = addressOf(channel, true);
        this.remoteAddress = addressOf(channel, false);
        key.attach(this);
    }

    /** Confined to the loop; see {@link dev.weft.net.NetworkLoop#openDatagram}. */
    static Future<DatagramTransport> open(NioEventLoop loop, SocketAddress local, SocketAddress remote,
                                          DatagramProtocol protocol, DatagramOptions options) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options (DatagramOptions.DEFAULTS for the defaults)");
        ProtocolFamily family = JdkSockets.datagramFamily(local, remote, NioLoopProvider.NAME);
        Future<DatagramTransport> result = loop.createFuture();
        DatagramChannel channel = null;
        boolean connecting = false;
        try {
            channel = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
            channel.configureBlocking(false);
            JdkSockets.configureDatagram(channel, options);
            channel.bind(local);
            if (remote != null) {
                connecting = true;
                channel.connect(remote);
            }
            SelectionKey key = channel.register(loop.selector(), 0);
            NioDatagramTransport transport = new NioDatagramTransport(loop, channel, key, protocol);
            Throwable failed = transport.begin();
            if (failed != null) {
                result.setException(failed); // connectionLost(failed) follows
            } else {
                result.setResult(transport);
            }
        } catch (IOException e) {
            closeQuietly(channel);
            result.setException(connecting ? SocketErrors.connectFailed(e, remote)
                    : SocketErrors.listenFailed(e, local == null ? JdkSockets.wildcard(family) : local));
        } catch (RuntimeException e) { // SO_REUSEPORT unsupported: a programming error, thrown
            closeQuietly(channel);
            throw e;
        }
        return result;
    }

    private Throwable begin() {
        updateInterest();
        try {
            protocol.connectionMade(this);
            return null;
        } catch (Throwable t) {
            report("connectionMade", t);
            lose(t);
            return t;
        }
    }

    // ---- sending

    @Override
    public void send(ByteBuffer data, SocketAddress target) {
        loop.checkNetworkConfined("send");
        Objects.requireNonNull(data, "data");
        if (closing) {
            throw closed("send");
        }
        if (remoteAddress != null) {
            if (target != null && !target.equals(remoteAddress)) {
                throw new IllegalArgumentException("the endpoint is connected to " + SocketErrors.describe(remoteAddress)
                        + ": send to null (its remote address), not to " + SocketErrors.describe(target));
            }
        } else if (target == null) {
            throw new IllegalArgumentException("the endpoint on " + SocketErrors.describe(localAddress)
                    + " is not connected: send needs a target address");
        } else {
            JdkSockets.family(target, NioLoopProvider.NAME); // unresolved or not IP: thrown, as for connect
        }
        if (queue.isEmpty()) {
            try {
                if (sendOne(data, target)) {
                    return;
                }
            } catch (IOException e) {
                sendFailed(e, target);
                return;
            }
        }
        if (loop.isReadBuffer(data)) { // an echo of what it received: the next receive overwrites that buffer
            data = ByteBuffer.allocate(data.remaining()).put(data).flip();
        }
        queue.add(new Pending(data, target));
        queuedBytes += data.remaining();
        updateInterest();
    }

    /** Whether the socket took the datagram (false: no room now, try again when writable). */
    private boolean sendOne(ByteBuffer data, SocketAddress target) throws IOException {
        int size = data.remaining();
        return channel.send(data, target == null ? remoteAddress : target) > 0 || size == 0;
    }

    private void flush() {
        while (!queue.isEmpty() && !lost) {
            Pending next = queue.peek();
            int size = next.data().remaining();
            try {
                if (!sendOne(next.data(), next.target())) {
                    break;
                }
            } catch (IOException e) {
                queue.poll();
                queuedBytes -= size;
                sendFailed(e, next.target());
                continue;
            }
            queue.poll();
            queuedBytes -= size;
        }
        updateInterest();
        if (queue.isEmpty() && closing && !lost) {
            lose(null);
        }
    }

    private void sendFailed(IOException error, SocketAddress target) {
        deliverError(named("send to " + SocketErrors.describe(target == null ? remoteAddress : target), error));
    }

    @Override
    public int sendBufferSize() {
        return (int) Math.min(queuedBytes, Integer.MAX_VALUE);
    }

    // ---- receiving

    private void receive() {
        while (!closing) {
            ByteBuffer buffer = loop.readBuffer();
            SocketAddress from;
            try {
                from = channel.receive(buffer);
            } catch (IOException e) {
                // the error is consumed; if more is queued, the next selection reads it
                deliverError(named("receive on " + SocketErrors.describe(localAddress), e));
                return;
            }
            if (from == null) {
                return;
            }
            buffer.flip();
            try {
                protocol.datagramReceived(buffer, from);
            } catch (Throwable t) {
                protocolFailed("datagramReceived", t);
                return;
            }
        }
    }

    private void deliverError(Throwable error) {
        if (lost) {
            return;
        }
        try {
            protocol.errorReceived(error);
        } catch (Throwable t) {
            protocolFailed("errorReceived", t);
        }
    }

    /** The JDK's error, keeping its type where it is one callers test for, with the address in the message. */
    private IOException named(String what, IOException error) {
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        IOException named = error instanceof PortUnreachableException
                ? new PortUnreachableException(what + ": port unreachable (" + reason + ")")
                : new IOException(what + " failed (" + reason + ")");
        named.initCause(error);
        return named;
    }

    // ---- the selector's side

    @Override
    public void accept(SelectionKey selected) {
        int ready = selected.readyOps();
        if ((ready & SelectionKey.OP_READ) != 0 && (interestOps & SelectionKey.OP_READ) != 0) {
            receive();
        }
        if ((ready & SelectionKey.OP_WRITE) != 0 && (interestOps & SelectionKey.OP_WRITE) != 0 && !lost) {
            flush();
        }
    }

    private void updateInterest() {
        if (lost) {
            return;
        }
        int ops = (closing ? 0 : SelectionKey.OP_READ) | (queue.isEmpty() ? 0 : SelectionKey.OP_WRITE);
        if (ops != interestOps) {
            interestOps = ops;
            key.interestOps(ops);
        }
    }

    // ---- closing

    @Override
    public void close() {
        loop.checkNetworkConfined("close");
        if (closing) {
            return;
        }
        closing = true;
        updateInterest();
        if (queue.isEmpty()) {
            lose(null);
        }
    }

    @Override
    public void abort() {
        loop.checkNetworkConfined("abort");
        lose(null);
    }

    @Override
    public boolean isClosing() {
        return closing;
    }

    private void lose(Throwable cause) {
        if (lost) {
            return;
        }
        lost = true;
        closing = true;
        lostCause = cause;
        queue.clear();
        queuedBytes = 0;
        interestOps = 0;
        release();
        ProtocolCalls.connectionLostSoon(loop, () -> protocol.connectionLost(cause), t -> report("connectionLost", t));
    }

    private void protocolFailed(String callback, Throwable error) {
        report(callback, error);
        lose(error);
    }

    private void report(String callback, Throwable error) {
        ProtocolCalls.reportThrew(loop, callback, "UDP endpoint on " + SocketErrors.describe(localAddress),
                "endpoint", error);
    }

    @Override
    public void release() {
        key.cancel();
        closeQuietly(channel);
    }

    private ClosedResourceException closed(String operation) {
        ClosedResourceException error = new ClosedResourceException(operation + ": the UDP endpoint on "
                + SocketErrors.describe(localAddress)
                + (remoteAddress == null ? "" : " connected to " + SocketErrors.describe(remoteAddress))
                + (lostCause == null ? " is closed" : " failed"));
        if (lostCause != null) {
            error.initCause(lostCause);
        }
        return error;
    }

    private static void closeQuietly(DatagramChannel channel) {
        if (channel != null) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // a socket that fails to close was not open: nothing to release
            }
        }
    }

    // ---- identity

    @Override
    public EventLoop loop() {
        return loop;
    }

    @Override
    public SocketAddress localAddress() {
        return localAddress;
    }

    @Override
    public SocketAddress remoteAddress() {
        return remoteAddress;
    }

    /** The socket, for tests of the options applied to it. */
    DatagramChannel channel() {
        return channel;
    }

    private static SocketAddress addressOf(DatagramChannel channel, boolean local) {
        try {
            return local ? channel.getLocalAddress() : channel.getRemoteAddress();
        } catch (IOException e) {
            return null;
        }
    }

    @Override
    public String toString() {
        return "NioDatagramTransport[" + SocketErrors.describe(localAddress)
                + (remoteAddress == null ? "" : " -> " + SocketErrors.describe(remoteAddress))
                + (lost ? ", lost" : closing ? ", closing" : "") + ", queued=" + queuedBytes + "]";
    }
}
