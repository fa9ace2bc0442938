package dev.weft.vthreads;

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
import java.util.Objects;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A UDP endpoint on a {@link VirtualThreadEventLoop}, as asyncio's datagram transport: a blocking
 * {@link DatagramChannel}, a receiving virtual thread and a {@link VirtualThreadDatagramSender}.
 *
 * <p><b>Receiving:</b> the receiver takes a {@link ReadPermit}, receives one datagram into its 64 KiB buffer (more
 * than the largest UDP payload) and posts it to the loop, which calls {@code datagramReceived} and grants the next
 * receive. A receive error (on a connected endpoint, the ICMP port unreachable of an earlier send, which Linux reports
 * on the next receive) goes to {@code errorReceived}, and the endpoint stays open.
 *
 * <p><b>Sending:</b> {@link #send} queues the datagram for the sender thread, in order; it counts in
 * {@link #sendBufferSize()} until the sender takes it to send. Send errors go to {@code errorReceived}.
 * {@link #close()} waits for the queue; {@link #abort()} drops it. {@code connectionLost} comes once, last.
 */
final class VirtualThreadDatagramTransport extends AbstractDatagramTransport
        implements VirtualThreadEventLoop.Resource {
    private static final int RECEIVE_BUFFER = 64 * 1024;

    private final VirtualThreadEventLoop vthreads;
    private final DatagramChannel channel;
    private final ReadPermit receivePermit = new ReadPermit();
    private final VirtualThreadDatagramSender sender;
    private final AtomicBoolean released = new AtomicBoolean();
    private int queued; // datagrams the sender has not reported done; loop only

    private VirtualThreadDatagramTransport(VirtualThreadEventLoop loop, DatagramChannel channel,
                                           DatagramProtocol protocol) {
        super(loop, protocol, VirtualThreadSockets.addressOf(channel, true),
                VirtualThreadSockets.addressOf(channel, false));
        this.vthreads = loop;
        this.channel = channel;
        this.sender = new VirtualThreadDatagramSender(loop, channel, this::sent,
                "weft-vthreads-udp-send-" + VirtualThreadSockets.label(localAddress()));
    }

    /** Confined to the loop; see {@link dev.weft.net.NetworkLoop#openDatagram}. */
    static Future<DatagramTransport> open(VirtualThreadEventLoop loop, SocketAddress local, SocketAddress remote,
                                          DatagramProtocol protocol, DatagramOptions options) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options (DatagramOptions.DEFAULTS for the defaults)");
        ProtocolFamily family = JdkSockets.datagramFamily(local, remote, VirtualThreadLoopProvider.NAME);
        Future<DatagramTransport> result = loop.createFuture();
        DatagramChannel channel = null;
        boolean connecting = false;
        try {
            channel = family == null ? DatagramChannel.open() : DatagramChannel.open(family);
            JdkSockets.configureDatagram(channel, options);
            channel.bind(local);
            if (remote != null) {
                connecting = true;
                channel.connect(remote);
            }
            VirtualThreadDatagramTransport transport = new VirtualThreadDatagramTransport(loop, channel, protocol);
            Throwable failed = transport.begin();
            if (failed != null) {
                result.setException(failed); // connectionLost(failed) follows
            } else {
                result.setResult(transport);
            }
        } catch (IOException e) {
            VirtualThreadSockets.closeQuietly(channel);
            result.setException(connecting ? SocketErrors.connectFailed(e, remote)
                    : SocketErrors.listenFailed(e, local == null ? JdkSockets.wildcard(family) : local));
        } catch (RuntimeException e) { // SO_REUSEPORT unsupported: a programming error, thrown
            VirtualThreadSockets.closeQuietly(channel);
            throw e;
        }
        return result;
    }

    private Throwable begin() {
        vthreads.register(this);
        vthreads.startIoThread("weft-vthreads-udp-receive-" + VirtualThreadSockets.label(localAddress()),
                this::receiveLoop);
        Throwable failed = callConnectionMade();
        if (failed == null) {
            receivePermit.grant();
        }
        return failed;
    }

    // ---- the receiving thread

    private void receiveLoop() {
        ByteBuffer buffer = ByteBuffer.allocateDirect(RECEIVE_BUFFER);
        while (receivePermit.await()) {
            while (true) {
                buffer.clear();
                SocketAddress from;
                try {
                    from = channel.receive(buffer);
                } catch (IOException e) {
                    if (receivePermit.isStopped() || !channel.isOpen()) {
                        return;
                    }
                    // the error is consumed: report it and receive again, still under the same permit
                    if (!vthreads.post(() -> receiveFailed(e))) {
                        return;
                    }
                    continue;
                }
                ByteBuffer datagram = buffer.flip();
                if (!vthreads.post(() -> datagramArrived(datagram, from))) {
                    return;
                }
                break;
            }
        }
    }

    private void datagramArrived(ByteBuffer datagram, SocketAddress from) {
        if (isClosing()) {
            return;
        }
        vthreads.delivering(datagram);
        boolean taken;
        try {
            taken = received(datagram, from);
        } finally {
            vthreads.delivering(null);
        }
        if (taken && !isClosing()) {
            receivePermit.grant();
        }
    }

    // ---- sending

    @Override
    protected void sendData(ByteBuffer data, SocketAddress target) {
        if (vthreads.mustCopyToHold(data)) {
            data = ByteBuffer.allocate(data.remaining()).put(data).flip();
        }
        queued++;
        sender.offer(data, target);
    }

    /** On the loop: the sender is done with one datagram, sent or failed. */
    private void sent(SocketAddress target, IOException error) {
        if (isLost()) {
            return;
        }
        queued--;
        if (error != null) {
            sendFailed(error, target);
        }
        if (isClosing() && queued == 0) {
            lose(null);
        }
    }

    @Override
    protected long queuedBytes() {
        return sender.queuedBytes();
    }

    @Override
    protected boolean writesPending() {
        return queued > 0;
    }

    // ---- closing

    @Override
    protected void letGo(Throwable cause) {
        queued = 0;
        release();
    }

    @Override
    public void release() {
        if (!released.compareAndSet(false, true)) {
            return;
        }
        receivePermit.stop();
        sender.stop();
        VirtualThreadSockets.closeQuietly(channel);
        vthreads.forget(this);
    }
}
