package dev.weft.epoll;

import dev.weft.netty.NettyBackend;
import io.netty.channel.Channel;
import io.netty.channel.ChannelOption;
import io.netty.channel.IoHandlerFactory;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.EpollChannelOption;
import io.netty.channel.epoll.EpollDatagramChannel;
import io.netty.channel.epoll.EpollDomainSocketChannel;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollPollSetPin;
import io.netty.channel.epoll.EpollServerDomainSocketChannel;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.socket.DatagramChannel;
import io.netty.channel.socket.SocketProtocolFamily;

import java.io.IOException;
import java.net.Inet4Address;
import java.net.InetSocketAddress;
import java.net.SocketAddress;

/** Netty's native epoll transport: edge-triggered epoll, one syscall per readiness batch, no selected-key set. */
final class EpollBackend implements NettyBackend {
    static final String NAME = "epoll";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public IoHandlerFactory ioHandlerFactory() {
        return EpollIoHandler.newFactory();
    }

    @Override
    public Channel newStreamChannel(SocketAddress address) {
        return address instanceof InetSocketAddress inet
                ? new EpollSocketChannel(familyOf(inet))
                : new EpollDomainSocketChannel();
    }

    @Override
    public ServerChannel newServerChannel(SocketAddress address) {
        return address instanceof InetSocketAddress inet
                ? new EpollServerSocketChannel(familyOf(inet))
                : new EpollServerDomainSocketChannel();
    }

    @Override
    public DatagramChannel newDatagramChannel(SocketAddress address) {
        return address instanceof InetSocketAddress inet
                ? new EpollDatagramChannel(familyOf(inet))
                : new EpollDatagramChannel();
    }

    /** Netty 4.2.18 loses a half-closed socket from epoll: see {@link EpollPollSetPin}. */
    @Override
    public void peerEnded(Channel channel) throws IOException {
        EpollPollSetPin.pinAfterPeerEof(channel);
    }

    @Override
    public ChannelOption<Boolean> reusePort() {
        return EpollChannelOption.SO_REUSEPORT;
    }

    private static SocketProtocolFamily familyOf(InetSocketAddress address) {
        return address.getAddress() instanceof Inet4Address ? SocketProtocolFamily.INET : SocketProtocolFamily.INET6;
    }
}
