package dev.weft.netty;

import dev.weft.net.Addresses;
import dev.weft.loop.Future;
import dev.weft.net.AbstractDatagramTransport;
import dev.weft.net.DatagramOptions;
import dev.weft.net.DatagramProtocol;
import dev.weft.net.DatagramTransport;
import dev.weft.net.SocketErrors;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelHandler;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelOption;
import io.netty.channel.FixedRecvByteBufAllocator;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.DatagramPacket;
import io.netty.util.ReferenceCountUtil;

import java.io.IOException;
import java.net.InetSocketAddress;
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
final class NettyDatagramTransport extends AbstractDatagramTransport {
    private static final int MAX_DATAGRAM = 65_536;
    private final NettyEventLoop netty;
    private final DatagramChannel channel;
    private final ChannelOps ops;
    private long queuedBytes;
    private boolean begun;

    private NettyDatagramTransport(NettyEventLoop loop, DatagramChannel channel, DatagramProtocol protocol) {
        super(loop, protocol, null, null);
        this.netty = loop;
        this.channel = channel;
        this.ops = new ChannelOps(loop);
        loop.remember(channel);
    }

    /** Confined to the loop; see {@link dev.weft.net.NetworkLoop#openDatagram}. */
    static Future<DatagramTransport> open(NettyEventLoop loop, SocketAddress local, SocketAddress remote,
                                          DatagramProtocol protocol, DatagramOptions options) {
        Objects.requireNonNull(protocol, "protocol");
        Objects.requireNonNull(options, "options (DatagramOptions.DEFAULTS for the defaults)");
        for (SocketAddress address : new SocketAddress[]{local, remote}) {
            if (address instanceof UnixDomainSocketAddress) {
                throw new UnsupportedOperationException("Weft has no Unix datagram sockets ("
                        + Addresses.format(address) + "); use an InetSocketAddress");
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
        channel.pipeline().addLast(transport.handler());
        Future<DatagramTransport> result = loop.createFuture();
        SocketAddress bindTo = local != null ? local : new InetSocketAddress(0);
        loop.netty().register(channel).addListener(registered -> {
            if (!registered.isSuccess()) {
                transport.abandon();
                result.setException(registered.cause());
                return;
            }
            channel.bind(bindTo).addListener(bound -> {
                if (!bound.isSuccess()) {
                    transport.abandon();
                    result.setException(failed(bound.cause(), bindTo, false));
                } else if (remote == null) {
                    transport.begin(result);
                } else {
                    channel.connect(remote).addListener(connected -> {
                        if (connected.isSuccess()) {
                            transport.begin(result);
                        } else {
                            transport.abandon();
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

    /**
     * The bind or connect it was made for failed: let go of the channel. The protocol never heard of the endpoint, so
     * it hears nothing; the loop's counters and debug mode's {@code LeakWatch} see it closed.
     */
    private void abandon() {
        lose(null);
    }

    private void begin(Future<DatagramTransport> result) {
        setAddresses(channel.localAddress(), channel.remoteAddress());
        begun = true;
        Throwable failed = callConnectionMade();
        if (failed == null) {
            result.setResult(this);
        } else {
            result.setException(failed); // connectionLost(failed) follows
        }
    }

    // ---- sending

    @Override
    protected void sendData(ByteBuffer data, SocketAddress target) {
        if (target != null) {
            NettyAddresses.toNetty(target); // not an IP address: thrown, as for connect
        }
        int size = data.remaining();
        ByteBuf content = netty.toWrite(data);
        Object message = target == null ? content : new DatagramPacket(content, (InetSocketAddress) target);
        queuedBytes += size;
        ops.run(() -> {
            if (isLost()) {
                ReferenceCountUtil.release(message);
                queuedBytes -= size;
                return;
            }
            channel.writeAndFlush(message).addListener((ChannelFuture sent) -> {
                queuedBytes -= size;
                if (!sent.isSuccess()) {
                    sendFailed(sent.cause(), target);
                }
                if (queuedBytes == 0 && isClosing()) {
                    lose(null);
                }
            });
        });
    }

    @Override
    protected long queuedBytes() {
        return queuedBytes;
    }

    @Override
    protected boolean writesPending() {
        return queuedBytes != 0;
    }

    // ---- receiving

    private void channelRead(DatagramPacket packet) {
        loop.counters().ioEvent();
        try {
            if (!isClosing() && begun) {
                received(netty.show(packet.content()), packet.sender());
            }
        } finally {
            netty.unshow();
            packet.release();
        }
    }

    // ---- closing

    @Override
    protected void letGo(Throwable cause) {
        ops.run(channel::close);
    }

    /** An endpoint that never opened, or a loop that is closing: no one to tell. */
    @Override
    protected boolean tellsProtocolOfLoss() {
        return begun && !netty.releasing();
    }

    /** What the channel's pipeline calls: Netty's events, turned into the endpoint's. */
    private ChannelHandler handler() {
        return new ChannelInboundHandlerAdapter() {
            @Override
            public void channelRead(ChannelHandlerContext context, Object message) {
                NettyDatagramTransport.this.channelRead((DatagramPacket) message);
            }

            @Override
            public void exceptionCaught(ChannelHandlerContext context, Throwable cause) {
                if (begun) {
                    receiveFailed(cause);
                }
            }

            @Override
            public void channelInactive(ChannelHandlerContext context) {
                lose(null);
            }
        };
    }
}
