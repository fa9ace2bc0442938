package dev.weft.vthreads;

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
final class VirtualThreadDatagramTransport implements DatagramTransport, VirtualThreadEventLoop.Resource {
    private static final int RECEIVE_BUFFER = 64 * 1024;

    private final VirtualThreadEventLoop loop;
    private final DatagramChannel channel;
    private final DatagramProtocol protocol;
    private final SocketAddress localAddress;
    private final SocketAddress remoteAddress;
    private final ReadPermit receivePermit = new ReadPermit();
    private final VirtualThreadDatagramSender sender;
    private final AtomicBoolean released = new AtomicBoolean();

    // ---- loop only
    private int queued;
    private boolean closing;
    private boolean lost;
    private Throwable lostCause;

    private VirtualThreadDatagramTransport(VirtualThreadEventLoop loop, DatagramChannel channel,
                                           DatagramProtocol protocol) {
        this.loop = loop;
        this.channel = channel;
        this.protocol = protocol;
        this.localAddress = VirtualThreadSockets.addressOf(channel, true);
        this.remoteAddress = VirtualThreadSockets.addressOf(channel, false);
        this.sender = new VirtualThreadDatagramSender(loop, channel, this::sent,
                "weft-vthreads-udp-send-" + VirtualThreadSockets.label(localAddress));
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
        loop.register(this);
        loop.startIoThread("weft-vthreads-udp-receive-" + VirtualThreadSockets.label(localAddress), this::receiveLoop);
        try {
            protocol.connectionMade(this);
        } catch (Throwable t) {
            report("connectionMade", t);
            lose(t);
            return t;
        }
        receivePermit.grant();
        return null;
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
                    if (!loop.post(() -> deliverError(named("receive on "
                            + SocketErrors.describe(localAddress), e)))) {
                        return;
                    }
                    continue;
                }
                ByteBuffer datagram = buffer.flip();
                if (!loop.post(() -> datagramArrived(datagram, from))) {
                    return;
                }
                break;
            }
        }
    }

    private void datagramArrived(ByteBuffer datagram, SocketAddress from) {
        receivePermit.answered();
        if (closing) {
            return;
        }
        loop.delivering(datagram);
        try {
            protocol.datagramReceived(datagram, from);
        } catch (Throwable t) {
            protocolFailed("datagramReceived", t);
            return;
        } finally {
            loop.delivering(null);
        }
        if (!closing) {
            receivePermit.grant();
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
                throw new IllegalArgumentException("the endpoint is connected to "
                        + SocketErrors.describe(remoteAddress) + ": send to null (its remote address), not to "
                        + SocketErrors.describe(target));
            }
        } else if (target == null) {
            throw new IllegalArgumentException("the endpoint on " + SocketErrors.describe(localAddress)
                    + " is not connected: send needs a target address");
        } else {
            JdkSockets.family(target, VirtualThreadLoopProvider.NAME); // unresolved or not IP: thrown, as for connect
        }
        if (loop.isReadBuffer(data)) { // an echo of what it received: the receiver overwrites that buffer
            data = ByteBuffer.allocate(data.remaining()).put(data).flip();
        }
        queued++;
        sender.offer(data, target);
    }

    /** On the loop: the sender is done with one datagram, sent or failed. */
    private void sent(SocketAddress target, IOException error) {
        if (lost) {
            return;
        }
        queued--;
        if (error != null) {
            deliverError(named("send to " + SocketErrors.describe(target == null ? remoteAddress : target),
                    error));
        }
        if (closing && queued == 0 && !lost) {
            lose(null);
        }
    }

    @Override
    public int sendBufferSize() {
        return lost ? 0 : (int) Math.min(sender.queuedBytes(), Integer.MAX_VALUE);
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
    private static IOException named(String what, IOException error) {
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        IOException named = error instanceof PortUnreachableException
                ? new PortUnreachableException(what + ": port unreachable (" + reason + ")")
                : new IOException(what + " failed (" + reason + ")");
        named.initCause(error);
        return named;
    }

    // ---- closing

    @Override
    public void close() {
        loop.checkNetworkConfined("close");
        if (closing) {
            return;
        }
        closing = true;
        if (queued == 0) {
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
        queued = 0;
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
        if (!released.compareAndSet(false, true)) {
            return;
        }
        receivePermit.stop();
        sender.stop();
        VirtualThreadSockets.closeQuietly(channel);
        loop.forget(this);
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

    @Override
    public String toString() {
        return "VirtualThreadDatagramTransport[" + SocketErrors.describe(localAddress)
                + (remoteAddress == null ? "" : " -> " + SocketErrors.describe(remoteAddress))
                + (lost ? ", lost" : closing ? ", closing" : "") + ", queued=" + queued + "]";
    }
}
