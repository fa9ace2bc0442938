package dev.weft.netty;

import dev.weft.loop.ClosedResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.net.DatagramOptions;
import dev.weft.net.DatagramProtocol;
import dev.weft.net.DatagramTransport;
import dev.weft.net.ProtocolCalls;
import dev.weft.net.SocketErrors;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.util.Objects;

/**
 * A UDP endpoint of a {@link NettyEventLoop}, as asyncio's datagram transport. Each datagram Netty receives is shown
 * to {@code datagramReceived} as a view and released after the call (see {@link NettyEventLoop#toWrite} for an
 * echo of it). Sends are written and flushed at once; Netty queues what the socket cannot take, and the bytes count
 * in {@link #sendBufferSize()} until Netty reports them sent. Errors of a send or a receive (a port unreachable on a
 * connected endpoint) go to {@code errorReceived} and the endpoint stays open. {@link #close()} waits for the queue;
 * {@link #abort()} drops it; {@code connectionLost} comes once, last.
 */
final class NettyDatagramTransport extends ChannelInboundHandlerAdapter implements DatagramTransport {
    private static final int MAX_DATAGRAM = 65_536;
    private final NettyEventLoop loop;
    private final DatagramChannel channel;
    private final ChannelOps ops;
    private final DatagramProtocol protocol;
    private SocketAddress localAddress;
    private SocketAddress remoteAddress;
    private long queuedBytes;
    private boolean begun;
    private boolean closing;
    private boolean lost;

    private NettyDatagramTransport(NettyEventLoop loop, DatagramChannel channel, DatagramProtocol protocol) {
        this.loop = loop;
        this.channel = channel;
        this.ops = new ChannelOps(loop.netty());
        this.protocol = protocol;
    }

    /** Confined to the loop; see {@link dev.weft.net.NetworkLoop#openDatagram}. */
    static Future<DatagramTransport> open(NettyEventLoop loop, SocketAddress local, SocketAddress remote,
                                          DatagramProtocol protocol, DatagramOptions options) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options (DatagramOptions.DEFAULTS for the defaults)");
        for (SocketAddress address : new SocketAddress[]{local, remote}) {
            if (address instanceof UnixDomainSocketAddress) {
                throw new UnsupportedOperationException("Weft has no Unix datagram sockets ("
                        + SocketErrors.describe(address) + "); use an InetSocketAddress");
            }
            if (address != null) {
                NettyAddresses.toNetty(address); // unresolved or not IP: thrown, as for connect
            }
        }
        SocketAddress family = local != null ? local : remote;
        DatagramChannel channel = loop.backend().newDatagramChannel(family);
        // Netty receives into 2 KiB by default and truncates what is longer; a UDP payload can be 64 KiB.
        channel.config().setRecvByteBufAllocator(new FixedRecvByteBufAllocator(MAX_DATAGRAM));
        channel.config().setOption(ChannelOption.SO_REUSEADDR, options.reuseAddress());
        channel.config().setOption(ChannelOption.SO_BROADCAST, options.broadcast());
        if (options.reusePort()) {
            channel.config().setOption(loop.backend().reusePort(), true);
        }
        NettyDatagramTransport transport = new NettyDatagramTransport(loop, channel, protocol);
        channel.pipeline().addLast(transport);
        Future<DatagramTransport> result = loop.createFuture();
        SocketAddress bindTo = local != null ? local : new InetSocketAddress(0);
        loop.netty().register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                result.setException(registered.cause());
                return;
            }
            channel.bind(bindTo).addListener(bound -> {
                if (!bound.isSuccess()) {
                    channel.close();
                    result.setException(failed(bound.cause(), bindTo, false));
                } else if (remote == null) {
                    transport.begin(result);
                } else {
                    channel.connect(remote).addListener(connected -> {
                        if (connected.isSuccess()) {
                            transport.begin(result);
                        } else {
                            channel.close();
                            result.setException(failed(connected.cause(), remote, true));
                        }
                    });
                }
            });
        });
        return result;
    }

    private static Throwable failed(Throwable error, SocketAddress address, boolean connecting) {
        if (!(error instanceof IOException io)) {
            return error;
        }
        return connecting ? SocketErrors.connectFailed(io, address) : SocketErrors.listenFailed(io, address);
    }

    private void begin(Future<DatagramTransport> result) {
        localAddress = channel.localAddress();
        remoteAddress = channel.remoteAddress();
        begun = true;
        try {
            protocol.connectionMade(this);
            result.setResult(this);
        } catch (Throwable t) {
            report("connectionMade", t);
            lose(t);
            result.setException(t); // connectionLost(t) follows
        }
    }

    // ---- sending

    @Override
    public void send(ByteBuffer data, SocketAddress target) {
        loop.checkNetworkConfined("send");
        Objects.requireNonNull(data, "data");
        if (closing) {
            throw new ClosedResourceException("send: the UDP endpoint on " + SocketErrors.describe(localAddress)
                    + " is closed");
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
            NettyAddresses.toNetty(target); // unresolved or not IP: thrown, as for connect
        }
        int size = data.remaining();
        ByteBuf content = loop.toWrite(data);
        Object message = target == null ? content : new DatagramPacket(content, (InetSocketAddress) target);
        SocketAddress to = target == null ? remoteAddress : target;
        queuedBytes += size;
        ops.run(() -> {
            if (lost) {
                io.netty.util.ReferenceCountUtil.release(message);
                queuedBytes -= size;
                return;
            }
            channel.writeAndFlush(message).addListener((ChannelFuture sent) -> {
                queuedBytes -= size;
                if (!sent.isSuccess() && !lost) {
                    deliverError(named("send to " + SocketErrors.describe(to), sent.cause()));
                }
                if (queuedBytes == 0 && closing) {
                    lose(null);
                }
            });
        });
    }

    @Override
    public int sendBufferSize() {
        return (int) Math.min(queuedBytes, Integer.MAX_VALUE);
    }

    // ---- receiving

    @Override
    public void channelRead(ChannelHandlerContext context, Object message) {
        DatagramPacket packet = (DatagramPacket) message;
        try {
            if (lost || closing || !begun) {
                return;
            }
            protocol.datagramReceived(loop.show(packet.content()), packet.sender());
        } catch (Throwable t) {
            protocolFailed("datagramReceived", t);
        } finally {
            loop.unshow();
            packet.release();
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
        deliverError(named("receive on " + SocketErrors.describe(localAddress), cause));
    }

    @Override
    public void channelInactive(ChannelHandlerContext context) {
        lose(null);
    }

    private void deliverError(Throwable error) {
        if (lost || !begun) {
            return;
        }
        try {
            protocol.errorReceived(error);
        } catch (Throwable t) {
            protocolFailed("errorReceived", t);
        }
    }

    /** The error, keeping its type where it is one callers test for, with the address in the message. */
    private static Throwable named(String what, Throwable error) {
        if (!(error instanceof IOException)) {
            return error;
        }
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        boolean unreachable = error instanceof PortUnreachableException
                || reason.toLowerCase(java.util.Locale.ROOT).contains("connection refused");
        IOException named = unreachable
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
        if (queuedBytes == 0) {
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
        ops.run(channel::close);
        if (!begun || loop.releasing()) {
            return;
        }
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
        return "NettyDatagramTransport[" + loop.backendName() + ", " + SocketErrors.describe(localAddress)
                + (remoteAddress == null ? "" : " -> " + SocketErrors.describe(remoteAddress))
                + (lost ? ", lost" : closing ? ", closing" : "") + ", queued=" + queuedBytes + "]";
    }
}
