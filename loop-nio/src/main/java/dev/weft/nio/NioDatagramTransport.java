package dev.weft.nio;

import dev.weft.loop.Future;
import dev.weft.net.AbstractDatagramTransport;
import dev.weft.net.DatagramOptions;
import dev.weft.net.DatagramProtocol;
import dev.weft.net.DatagramTransport;
import dev.weft.net.JdkSockets;
import dev.weft.net.SocketErrors;

import java.io.IOException;
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
final class NioDatagramTransport extends AbstractDatagramTransport implements NioSelection.Ready {
    private record Pending(ByteBuffer data, SocketAddress target) {
    }

    private final NioEventLoop nio;
    private final DatagramChannel channel;
    private final NioSelection selection;
    private final ArrayDeque<Pending> queue = new ArrayDeque<>();
    private long queuedBytes;

    private NioDatagramTransport(NioEventLoop loop, DatagramChannel channel, SelectionKey key,
                                 DatagramProtocol protocol) {
        super(loop, protocol, NioSelection.address(channel::getLocalAddress),
                NioSelection.address(channel::getRemoteAddress));
        this.nio = loop;
        this.channel = channel;
        this.selection = new NioSelection(key, this);
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
        return callConnectionMade();
    }

    // ---- sending

    @Override
    protected void sendData(ByteBuffer data, SocketAddress target) {
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
        if (nio.mustCopyToHold(data)) { // queued: held past this call
            data = ByteBuffer.allocate(data.remaining()).put(data).flip();
        }
        queue.add(new Pending(data, target));
        queuedBytes += data.remaining();
        updateInterest();
    }

    /** Whether the socket took the datagram (false: no room now, try again when writable). */
    private boolean sendOne(ByteBuffer data, SocketAddress target) throws IOException {
        int size = data.remaining();
        return channel.send(data, target == null ? remoteAddress() : target) > 0 || size == 0;
    }

    @Override
    public void writable() {
        while (!queue.isEmpty() && !isLost()) {
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
        if (queue.isEmpty() && isClosing()) {
            lose(null);
        }
    }

    @Override
    protected long queuedBytes() {
        return queuedBytes;
    }

    @Override
    protected boolean writesPending() {
        return !queue.isEmpty();
    }

    // ---- receiving

    @Override
    public void readable() {
        while (!isClosing()) {
            ByteBuffer buffer = nio.readBuffer();
            SocketAddress from;
            try {
                from = channel.receive(buffer);
            } catch (IOException e) {
                receiveFailed(e); // the error is consumed; if more is queued, the next selection reads it
                return;
            }
            if (from == null || !received(buffer.flip(), from)) {
                return;
            }
        }
    }

    private void updateInterest() {
        selection.interest(!isClosing(), !queue.isEmpty());
    }

    // ---- closing

    @Override
    protected void closingStarted() {
        updateInterest();
    }

    @Override
    protected void letGo(Throwable cause) {
        queue.clear();
        queuedBytes = 0;
        selection.release();
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

    /** The socket, for tests of the options applied to it. */
    DatagramChannel channel() {
        return channel;
    }
}
