package dev.weft.nio;

import dev.weft.loop.LoopGroup;
import dev.weft.loop.UnhandledError;
import dev.weft.net.NetworkLoop;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

/**
 * The nio acceptor's hand-off where it cannot succeed: a connection placed on a closed loop, or by a placement that
 * throws, is closed (the client sees EOF), no protocol is made for it, and nothing is left open.
 */
@Timeout(10)
class NioPlacementTest {
    private final List<UnhandledError> reported = new CopyOnWriteArrayList<>();
    private final AtomicInteger protocolsMade = new AtomicInteger();

    @Test
    void aConnectionPlacedOnAClosedLoopIsClosed() throws Exception {
        NioEventLoop closed = new NioEventLoop();
        closed.close();
        assertEquals(-1, firstByteSeenBehind(() -> closed));
        assertEquals(0, protocolsMade.get(), "no protocol for a connection nobody serves");
        assertEquals(List.of(), reported, "a loop that closed is no error of the connection's");
    }

    @Test
    void aPlacementThatThrowsCostsThatConnectionAndIsReported() throws Exception {
        IllegalStateException boom = new IllegalStateException("no loop for you");
        assertEquals(-1, firstByteSeenBehind(() -> {
            throw boom;
        }));
        assertEquals(0, protocolsMade.get());
        assertEquals(1, reported.size(), "reported: " + reported);
        assertSame(boom, reported.getFirst().exception());
    }

    /** Listen on a group of one with the placement, connect, and return what the client reads first. */
    private int firstByteSeenBehind(Supplier<NetworkLoop> placement) throws Exception {
        try (LoopGroup group = LoopGroup.open(1, () -> {
            NioEventLoop loop = new NioEventLoop();
            loop.setExceptionHandler((where, error) -> reported.add(error));
            return loop;
        })) {
            NetworkLoop acceptor = (NetworkLoop) group.loops().getFirst();
            Supplier<StreamProtocol> protocols = () -> {
                protocolsMade.incrementAndGet();
                return (ByteBuffer data) -> { };
            };
            Server server = acceptor.submit(() -> acceptor.listen(new InetSocketAddress("127.0.0.1", 0), protocols,
                    SocketOptions.DEFAULTS, placement).await()).get(5, TimeUnit.SECONDS);
            int port = ((InetSocketAddress) server.addresses().getFirst()).getPort();
            try (Socket client = connect(port)) {
                return client.getInputStream().read();
            }
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(5_000);
        return socket;
    }
}
