package dev.weft.vthreads;

import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.TaskMode;
import dev.weft.net.NetworkLoop;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamTransport;
import dev.weft.nio.NioEventLoop;
import dev.weft.vthreads.PatternProtocols.Echo;
import dev.weft.vthreads.PatternProtocols.Outcome;
import dev.weft.vthreads.PatternProtocols.Pump;
import dev.weft.vthreads.PatternProtocols.Recorder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The two pure-JDK backends talking to each other over real loopback sockets, each loop on its own thread: a
 * virtual-thread server with an nio client, and an nio server with a virtual-thread client. What one backend sends,
 * the other must receive byte for byte, with half-close and resets seen as on their own kind.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class MixedBackendTest {
    private static final InetSocketAddress LOCALHOST = new InetSocketAddress("127.0.0.1", 0);
    private static final int MIB = 1024 * 1024;

    static Stream<Arguments> pairs() {
        Supplier<NetworkLoop> vthreads = () -> new VirtualThreadEventLoop(TaskMode.CARRIED);
        Supplier<NetworkLoop> nio = () -> new NioEventLoop(TaskMode.CARRIED);
        return Stream.of(
                Arguments.of("vthreads server, nio client", vthreads, nio),
                Arguments.of("nio server, vthreads client", nio, vthreads));
    }

    /** The client sends 1 MiB and half-closes; the echo sends it all back after the client's EOF, then closes. */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void oneMebibyteEchoesByteForByteAcrossBackendsWithHalfClose(String name, Supplier<NetworkLoop> serverSide,
                                                                  Supplier<NetworkLoop> clientSide) throws Exception {
        try (LoopThread server = new LoopThread("server", serverSide.get());
             LoopThread client = new LoopThread("client", clientSide.get())) {
            CompletableFuture<Echo> accepted = new CompletableFuture<>();
            Server listening = server.call(() -> server.loop.listen(LOCALHOST, () -> {
                Echo echo = new Echo();
                accepted.complete(echo);
                return echo;
            }, SocketOptions.DEFAULTS).await());
            SocketAddress address = listening.addresses().getFirst();
            Pump pump = new Pump(MIB);
            client.call(() -> client.loop.connect(address, pump, SocketOptions.DEFAULTS).await());

            Outcome clientSaw = LoopThread.await(pump.outcome);
            Outcome serverSaw = LoopThread.await(LoopThread.await(accepted).outcome);
            server.call(() -> {
                listening.close();
                return null;
            });

            assertArrayEquals(PatternProtocols.pattern(MIB), serverSaw.bytes(), "what the server received");
            assertArrayEquals(PatternProtocols.pattern(MIB), clientSaw.bytes(), "what came back");
            assertEquals(List.of("made", "data", "eof", "lost"), serverSaw.events());
            assertEquals(List.of("made", "data", "eof", "lost"), Pump.withoutFlow(clientSaw.events()),
                    "the answer kept coming after the client's EOF went out");
            assertNull(clientSaw.cause());
            assertNull(serverSaw.cause());
            assertTrue(clientSaw.allOnLoop() && serverSaw.allOnLoop(), "every callback on its own loop");
        }
    }

    /**
     * The server never reads; the client writes 1 KiB and waits until its transport has handed it to the kernel
     * (water marks at zero: a resume says so), so the server's kernel holds unread bytes; then the server aborts.
     * A socket closed with unread bytes answers with a reset — at once, or (a socket still registered with a selector,
     * or with a read in progress) after a FIN, to the next segment. So the client stays open after an EOF and keeps
     * talking every 10 ms: either way its connection breaks, as a BrokenResourceException around the JDK's I/O error.
     */
    @ParameterizedTest(name = "{0}")
    @MethodSource("pairs")
    void aResetFromTheOtherBackendIsABrokenResource(String name, Supplier<NetworkLoop> serverSide,
                                                    Supplier<NetworkLoop> clientSide) throws Exception {
        try (LoopThread server = new LoopThread("server", serverSide.get());
             LoopThread client = new LoopThread("client", clientSide.get())) {
            CompletableFuture<Recorder> accepted = new CompletableFuture<>();
            Server listening = server.call(() -> server.loop.listen(LOCALHOST, () -> {
                Recorder deaf = new Recorder() {
                    @Override
                    public void connectionMade(StreamTransport transport) {
                        super.connectionMade(transport);
                        transport.pauseReading();
                    }
                };
                accepted.complete(deaf);
                return deaf;
            }, SocketOptions.DEFAULTS).await());
            SocketAddress address = listening.addresses().getFirst();
            CompletableFuture<Void> handedOver = new CompletableFuture<>();
            Recorder talker = new Recorder() {
                @Override
                public void connectionMade(StreamTransport transport) {
                    super.connectionMade(transport);
                    transport.setWriteBufferLimits(0, 0);
                    transport.write(ByteBuffer.wrap(PatternProtocols.pattern(1024)));
                    if (transport.writeBufferSize() == 0) {
                        handedOver.complete(null); // written at once (nio)
                    }
                }

                @Override
                public void resumeWriting() {
                    handedOver.complete(null); // written by the writer thread (vthreads)
                }

                @Override
                public boolean eofReceived() {
                    super.eofReceived();
                    talk();
                    return true;
                }

                private void talk() {
                    if (!transport.isClosing()) {
                        transport.write(ByteBuffer.wrap(PatternProtocols.pattern(1024)));
                        transport.loop().callLater(Duration.ofMillis(10), this::talk);
                    }
                }
            };
            client.call(() -> client.loop.connect(address, talker, SocketOptions.DEFAULTS).await());
            Recorder deaf = LoopThread.await(accepted);
            LoopThread.await(deaf.made);
            LoopThread.await(handedOver);
            server.call(() -> {
                deaf.transport.abort();
                listening.close();
                return null;
            });

            Outcome clientSaw = LoopThread.await(talker.outcome);
            assertInstanceOf(BrokenResourceException.class, clientSaw.cause(), "the client's connectionLost");
            assertInstanceOf(java.io.IOException.class, clientSaw.cause().getCause(), "the JDK's error inside");
            List<String> events = clientSaw.events();
            assertTrue(events.equals(List.of("made", "lost")) || events.equals(List.of("made", "eof", "lost")),
                    "a reset, or a FIN and then a reset: " + events);
            assertNull(LoopThread.await(deaf.outcome).cause(), "aborted by us: no cause");
        }
    }
}
