package dev.weft.nio;

import dev.weft.loop.Capability;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Loops;
import dev.weft.net.JdkSockets;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnixDomainSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.nio.file.Path;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** What the SPI cannot see: the options the nio transports set on their sockets, and the capabilities declared. */
@Timeout(10)
class NioTransportOptionsTest {
    private static final InetSocketAddress LOCALHOST = new InetSocketAddress("127.0.0.1", 0);

    /** Completes a future with the transport it is given. Made on the loop. */
    private static final class Holder implements StreamProtocol {
        final Future<StreamTransport> made = EventLoop.current().createFuture();

        @Override
        public void connectionMade(StreamTransport transport) {
            made.setResult(transport);
        }

        @Override
        public void dataReceived(ByteBuffer data) {
        }
    }

    private static List<Boolean> optionsOfBothEnds(SocketOptions options) throws Exception {
        NioEventLoop loop = new NioEventLoop();
        return Loops.run(() -> loop, () -> {
            Holder accepted = new Holder();
            Server server = loop.listen(LOCALHOST, () -> accepted, options).await();
            StreamTransport client = loop.connect(server.addresses().getFirst(), new Holder(), options).await();
            SocketChannel clientSocket = ((NioStreamTransport) client).channel();
            SocketChannel serverSocket = ((NioStreamTransport) accepted.made.await()).channel();
            List<Boolean> result = List.of(
                    clientSocket.getOption(StandardSocketOptions.TCP_NODELAY),
                    serverSocket.getOption(StandardSocketOptions.TCP_NODELAY),
                    clientSocket.getOption(StandardSocketOptions.SO_KEEPALIVE),
                    serverSocket.getOption(StandardSocketOptions.SO_KEEPALIVE));
            client.close();
            server.closeClients();
            return result;
        });
    }

    @Test
    void tcpNoDelayIsOnByDefaultAndKeepAliveOff() throws Exception {
        assertEquals(List.of(true, true, false, false), optionsOfBothEnds(SocketOptions.DEFAULTS));
    }

    @Test
    void theOptionsAskedForAreSetOnBothEnds() throws Exception {
        assertEquals(List.of(false, false, true, true),
                optionsOfBothEnds(SocketOptions.DEFAULTS.withNoDelay(false).withKeepAlive(true)));
    }

    @Test
    void serversSetReuseAddressByDefaultAndReusePortWhenAsked() throws Exception {
        NioEventLoop loop = new NioEventLoop();
        List<Boolean> seen = Loops.run(() -> loop, () -> {
            Server byDefault = loop.listen(LOCALHOST, Holder::new, SocketOptions.DEFAULTS).await();
            Server asked = loop.listen(LOCALHOST, Holder::new,
                    SocketOptions.DEFAULTS.withReuseAddress(false).withReusePort(true)).await();
            ServerSocketChannel plain = ((NioServer) byDefault).channel();
            ServerSocketChannel shared = ((NioServer) asked).channel();
            List<Boolean> result = List.of(
                    plain.getOption(StandardSocketOptions.SO_REUSEADDR),
                    plain.getOption(StandardSocketOptions.SO_REUSEPORT),
                    shared.getOption(StandardSocketOptions.SO_REUSEADDR),
                    shared.getOption(StandardSocketOptions.SO_REUSEPORT));
            byDefault.close();
            asked.close();
            return result;
        });
        assertEquals(List.of(true, false, false, true), seen);
    }

    /** Unix sockets have no TCP options: setting them would throw, so a Unix echo proves they are skipped. */
    @Test
    void unixSocketsGetNoTcpOptions(@TempDir Path dir) {
        NioEventLoop loop = new NioEventLoop();
        UnixDomainSocketAddress address = UnixDomainSocketAddress.of(dir.resolve("options.sock"));
        boolean open = Loops.run(() -> loop, () -> {
            SocketOptions tcpish = SocketOptions.DEFAULTS.withKeepAlive(true).withReusePort(true);
            Server server = loop.listen(address, Holder::new, tcpish).await();
            StreamTransport client = loop.connect(address, new Holder(), tcpish).await();
            boolean result = !client.isClosing();
            client.close();
            server.close();
            return result;
        });
        assertTrue(open);
    }

    @Test
    void theProviderDeclaresTcpUnixSocketsAndReusePort() {
        assertTrue(new NioLoopProvider().capabilities()
                .containsAll(List.of(Capability.TCP, Capability.UNIX_SOCKETS)));
        assertEquals(JdkSockets.reusePortSupported(),
                new NioLoopProvider().capabilities().contains(Capability.REUSE_PORT));
    }
}
