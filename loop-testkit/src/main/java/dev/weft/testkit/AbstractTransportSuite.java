package dev.weft.testkit;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.net.NetworkLoop;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;
import org.junit.jupiter.api.BeforeEach;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The base of the transport suites: they run on any loop that is a {@link NetworkLoop} (and are skipped, saying so,
 * on one that is not), over real sockets on 127.0.0.1 with ports the kernel picks. Everything here is called on the
 * loop, from the test's main task.
 */
public abstract class AbstractTransportSuite extends LoopSuite {
    /** 127.0.0.1, any free port: tests never leave the loopback interface. */
    protected static final InetSocketAddress LOCALHOST = new InetSocketAddress("127.0.0.1", 0);

    @BeforeEach
    final void requireNetworkLoop() {
        assumeTrue(loop instanceof NetworkLoop, "the " + loop.backendName()
                + " loop does not implement dev.weft.net.NetworkLoop, so it has no transports to test");
    }

    /** The test's loop, as the networking SPI. */
    protected final NetworkLoop net() {
        return (NetworkLoop) loop;
    }

    /** Listen on 127.0.0.1, any port, with the default options. In a task. */
    protected final Server listen(Supplier<? extends StreamProtocol> protocols) {
        return listen(protocols, SocketOptions.DEFAULTS);
    }

    protected final Server listen(Supplier<? extends StreamProtocol> protocols, SocketOptions options) {
        return net().listen(LOCALHOST, protocols, options).await();
    }

    /** Connect to the server's first address with the default options and await the transport. In a task. */
    protected final StreamTransport connect(Server server, StreamProtocol protocol) {
        return net().connect(server.addresses().getFirst(), protocol, SocketOptions.DEFAULTS).await();
    }

    /** Await the future and return its failure (null if it succeeded). In a task. */
    protected static Throwable failureOf(Future<?> future) {
        try {
            future.await();
        } catch (RuntimeException expected) {
            // read below, unwrapped
        }
        return future.exception();
    }

    /** The port of an IP address. */
    protected static int portOf(SocketAddress address) {
        return ((InetSocketAddress) address).getPort();
    }

    /** Bytes that tell their positions apart (not all one value), the same for the same seed. */
    protected static byte[] payload(int size, long seed) {
        byte[] bytes = new byte[size];
        new Random(seed).nextBytes(bytes);
        return bytes;
    }

    protected static ByteBuffer utf8(String text) {
        return ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * A server's protocol factory that keeps each protocol it makes, so a test can await the n-th connection.
     * Used on the loop.
     */
    protected static final class Accepted<P extends StreamProtocol> implements Supplier<P> {
        private final Supplier<P> factory;
        private final List<P> made = new ArrayList<>();
        private final Map<Integer, Future<P>> waiting = new HashMap<>();

        public Accepted(Supplier<P> factory) {
            this.factory = factory;
        }

        @Override
        public P get() {
            P protocol = factory.get();
            made.add(protocol);
            Future<P> waiter = waiting.remove(made.size() - 1);
            if (waiter != null) {
                waiter.setResult(protocol);
            }
            return protocol;
        }

        /** Completes with the protocol of the n-th connection accepted, counting from 0. */
        public Future<P> nth(int index) {
            Future<P> result = EventLoop.current().createFuture();
            if (index < made.size()) {
                result.setResult(made.get(index));
            } else {
                waiting.put(index, result);
            }
            return result;
        }

        public List<P> all() {
            return List.copyOf(made);
        }
    }

    /**
     * The echo server's protocol, with asyncio's flow control: it pauses reading while its own writes are paused, and
     * closes (after sending what it still holds) when the peer sends EOF.
     */
    protected static class EchoProtocol extends RecordingProtocol {
        @Override
        public void dataReceived(ByteBuffer data) {
            ByteBuffer copy = ByteBuffer.allocate(data.remaining()); // the data is ours only during this call
            copy.put(data.duplicate()).flip();
            super.dataReceived(data);
            transport().write(copy);
        }

        @Override
        public void pauseWriting() {
            super.pauseWriting();
            transport().pauseReading();
        }

        @Override
        public void resumeWriting() {
            super.resumeWriting();
            transport().resumeReading();
        }
    }
}
