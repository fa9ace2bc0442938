package dev.weft.vthreads;

import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.loop.TaskMode;
import dev.weft.net.DatagramOptions;
import dev.weft.net.DatagramProtocol;
import dev.weft.net.DatagramTransport;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamTransport;
import dev.weft.vthreads.PatternProtocols.Echo;
import dev.weft.vthreads.PatternProtocols.Outcome;
import dev.weft.vthreads.PatternProtocols.Pump;
import dev.weft.vthreads.PatternProtocols.Recorder;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * What is particular to this backend: its I/O threads. A callback that blocks the loop thread only delays it; a pause
 * of reading holds back the chunk a reader already has; closing the loop ends every I/O thread and socket and calls no
 * protocol back.
 */
@Timeout(value = 60, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class VirtualThreadTransportTest {
    private static final InetSocketAddress LOCALHOST = new InetSocketAddress("127.0.0.1", 0);

    /**
     * The echo's dataReceived sleeps 200 ms, on the loop's own thread, for its first chunks while the client streams
     * 4 MiB at it: the reader and writer threads go on handing work to the sleeping loop, nobody waits on anybody
     * while holding what the other needs, and every byte comes back in order.
     */
    @Test
    void aCallbackThatBlocksTheLoopThreadDelaysItButLosesNothing() throws Exception {
        int size = 4 * 1024 * 1024;
        try (LoopThread server = new LoopThread("server", new VirtualThreadEventLoop(TaskMode.CARRIED));
             LoopThread client = new LoopThread("client", new VirtualThreadEventLoop(TaskMode.CARRIED))) {
            CompletableFuture<Echo> accepted = new CompletableFuture<>();
            List<Long> sleptMillis = new ArrayList<>();
            Server listening = server.call(() -> server.loop.listen(LOCALHOST, () -> {
                Echo sleepy = new Echo() {
                    @Override
                    public void dataReceived(ByteBuffer data) {
                        if (sleptMillis.size() < 3) {
                            long start = System.nanoTime();
                            try {
                                Thread.sleep(200); // blocks the loop's platform thread: this is a plain callback
                            } catch (InterruptedException e) {
                                throw new IllegalStateException(e);
                            }
                            sleptMillis.add((System.nanoTime() - start) / 1_000_000);
                        }
                        super.dataReceived(data);
                    }
                };
                accepted.complete(sleepy);
                return sleepy;
            }, SocketOptions.DEFAULTS).await());
            Pump pump = new Pump(size);
            client.call(() -> client.loop.connect(listening.addresses().getFirst(), pump, SocketOptions.DEFAULTS)
                    .await());

            Outcome clientSaw = LoopThread.await(pump.outcome);
            Outcome serverSaw = LoopThread.await(LoopThread.await(accepted).outcome);
            assertEquals(3, server.call(sleptMillis::size), "the callback blocked three times");
            assertArrayEquals(PatternProtocols.pattern(size), serverSaw.bytes());
            assertArrayEquals(PatternProtocols.pattern(size), clientSaw.bytes());
            assertEquals(List.of("made", "data", "eof", "lost"), Pump.withoutFlow(clientSaw.events()));
            assertTrue(serverSaw.allOnLoop() && clientSaw.allOnLoop());
        }
    }

    /**
     * I/O threads started from a carried task (here the reader, at connect, and the writer, at the first write) run on
     * the JDK's default scheduler, not on the loop: a virtual thread made there without naming a scheduler would take
     * the loop's, and could not run while the loop thread is blocked. A plain callback blocks the loop thread until a
     * peer on a foreign thread has read what the task wrote.
     */
    @Test
    void ioThreadsStartedInACarriedTaskRunWhileTheLoopThreadIsBlocked() throws Exception {
        try (ServerSocket peer = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            CompletableFuture<byte[]> read = new CompletableFuture<>();
            Thread.ofPlatform().daemon().name("peer").start(() -> {
                try (Socket accepted = peer.accept()) {
                    read.complete(accepted.getInputStream().readNBytes(5));
                } catch (IOException e) {
                    read.completeExceptionally(e);
                }
            });
            String outcome = Loops.run(() -> new VirtualThreadEventLoop(TaskMode.CARRIED), () -> {
                VirtualThreadEventLoop loop = (VirtualThreadEventLoop) EventLoop.current();
                Recorder client = new Recorder();
                StreamTransport transport = loop.connect(peer.getLocalSocketAddress(), client,
                        SocketOptions.DEFAULTS).await();
                dev.weft.loop.Future<String> blocked = loop.createFuture();
                loop.callSoon(() -> { // a plain callback, queued before the writer starts: it blocks the loop thread
                    try {
                        blocked.setResult(new String(read.get(5, TimeUnit.SECONDS), StandardCharsets.UTF_8));
                    } catch (TimeoutException e) {
                        blocked.setResult("nothing arrived while the loop thread was blocked");
                    } catch (Exception e) {
                        blocked.setException(e);
                    }
                });
                transport.write(ByteBuffer.wrap("hello".getBytes(StandardCharsets.UTF_8))); // starts the writer
                String result = blocked.await();
                transport.abort();
                return result;
            });
            assertEquals("hello", outcome);
        }
    }

    /**
     * A task pauses reading in the middle of a stream, while the reader thread is most likely in a read or already
     * holds the next chunk: no dataReceived (or EOF) comes until it resumes, then the rest comes, in order. Absence
     * cannot be awaited, so the pause lasts a fixed 100 ms window; the callbacks themselves flag any delivery in it.
     */
    @Test
    void noDataArrivesBetweenPauseReadingAndResumeReading() {
        int size = 8 * 1024 * 1024;
        List<Object> seen = Loops.run(() -> new VirtualThreadEventLoop(TaskMode.CARRIED), () -> {
            VirtualThreadEventLoop loop = (VirtualThreadEventLoop) EventLoop.current();
            PausableReader reader = new PausableReader(loop.createFuture());
            Server server = loop.listen(LOCALHOST, () -> reader, SocketOptions.DEFAULTS).await();
            Pump pump = new Pump(size);
            loop.connect(server.addresses().getFirst(), pump, SocketOptions.DEFAULTS).await();
            reader.flowing.await();
            reader.transport.pauseReading();
            reader.paused = true;
            int atPause = reader.received.size();
            Async.sleep(Duration.ofMillis(100));
            int afterWindow = reader.received.size();
            reader.paused = false;
            reader.transport.resumeReading();
            Outcome outcome = loop.wrap(reader.outcome).await();
            loop.wrap(pump.outcome).await();
            server.close();
            return List.of(reader.violations, atPause == afterWindow, outcome);
        });
        assertEquals(List.of(), seen.get(0));
        assertEquals(true, seen.get(1), "nothing arrived while paused");
        Outcome outcome = (Outcome) seen.get(2);
        assertArrayEquals(PatternProtocols.pattern(size), outcome.bytes());
        assertEquals(List.of("made", "data", "eof", "lost"), outcome.events());
    }

    /**
     * Writing back a slice of the received buffer, not a copy, is the echo idiom at its laziest. Here every write is
     * queued for the writer thread, so the transport copies whatever shares memory with the buffer being delivered
     * before the reader reuses it. The client reads nothing until the echo has received everything, so the echo's
     * queue holds its writes while its reader goes on reading into the same buffer.
     */
    @Test
    void anEchoOfASliceOfTheReceivedBufferKeepsItsBytes() {
        int size = 24 * 1024 * 1024; // more than the kernel buffers between the two ends hold
        Outcome outcome = Loops.run(() -> new VirtualThreadEventLoop(TaskMode.CARRIED), () -> {
            VirtualThreadEventLoop loop = (VirtualThreadEventLoop) EventLoop.current();
            dev.weft.loop.Future<Void> allReceived = loop.createFuture();
            Server server = loop.listen(LOCALHOST, () -> new Echo() {
                long count;

                @Override
                public void connectionMade(StreamTransport transport) {
                    super.connectionMade(transport);
                    transport.setWriteBufferLimits(Integer.MAX_VALUE, 0); // never pauses, so it reads on
                }

                @Override
                public void dataReceived(ByteBuffer data) {
                    record("data");
                    count += data.remaining();
                    int half = data.remaining() / 2;
                    transport.write(data.slice(data.position(), half));
                    transport.write(data.slice(data.position() + half, data.remaining() - half));
                    if (count == size) {
                        allReceived.setResult(null);
                    }
                }
            }, SocketOptions.DEFAULTS).await();
            Pump pump = new Pump(size) {
                @Override
                public void connectionMade(StreamTransport transport) {
                    transport.pauseReading();
                    super.connectionMade(transport);
                }
            };
            StreamTransport client = loop.connect(server.addresses().getFirst(), pump, SocketOptions.DEFAULTS)
                    .await();
            allReceived.await();
            client.resumeReading();
            Outcome result = loop.wrap(pump.outcome).await();
            server.close();
            return result;
        });
        assertArrayEquals(PatternProtocols.pattern(size), outcome.bytes());
        assertEquals(List.of("made", "data", "eof", "lost"), Pump.withoutFlow(outcome.events()));
    }

    /** Flags any delivery while {@link #paused}; completes {@link #flowing} once 256 KiB arrived. */
    private static final class PausableReader extends Recorder {
        final dev.weft.loop.Future<Void> flowing;
        final List<String> violations = new ArrayList<>();
        boolean paused;

        PausableReader(dev.weft.loop.Future<Void> flowing) {
            this.flowing = flowing;
        }

        @Override
        public void dataReceived(ByteBuffer data) {
            if (paused) {
                violations.add("dataReceived while paused");
            }
            super.dataReceived(data);
            if (!flowing.isDone() && received.size() >= 256 * 1024) {
                flowing.setResult(null);
            }
        }

        @Override
        public boolean eofReceived() {
            if (paused) {
                violations.add("eofReceived while paused");
            }
            return super.eofReceived();
        }
    }

    /**
     * Closing the loop with a server, connections (one with a writer blocked on a full socket) and a UDP endpoint
     * still open: afterwards no I/O thread of the loop is alive, every socket is closed, and no protocol heard of it.
     */
    @Test
    void closingTheLoopEndsEveryIoThreadAndSocketWithoutCallingBack() throws Exception {
        VirtualThreadEventLoop loop = new VirtualThreadEventLoop(TaskMode.CARRIED);
        List<Recorder> protocols = new ArrayList<>();
        List<Object> open = new ArrayList<>();
        List<Thread> threads = new ArrayList<>();
        CompletableFuture<Void> datagramLost = new CompletableFuture<>();
        loop.runUntilComplete(loop.createTask(() -> {
            Recorder accepted = new Recorder() {
                @Override
                public void connectionMade(StreamTransport transport) {
                    super.connectionMade(transport);
                    transport.pauseReading(); // the client's writer blocks on a full socket
                }
            };
            protocols.add(accepted);
            Server server = loop.listen(LOCALHOST, () -> accepted, SocketOptions.DEFAULTS).await();
            Recorder client = new Recorder();
            protocols.add(client);
            StreamTransport transport = loop.connect(server.addresses().getFirst(), client, SocketOptions.DEFAULTS)
                    .await();
            loop.wrap(accepted.made).await();
            transport.setWriteBufferLimits(Integer.MAX_VALUE, 0);
            for (int i = 0; i < 64; i++) {
                transport.write(ByteBuffer.allocate(256 * 1024)); // 16 MiB: more than any kernel buffers
            }
            DatagramTransport udp = loop.openDatagram(LOCALHOST, null, new DatagramProtocol() {
                @Override
                public void datagramReceived(ByteBuffer data, SocketAddress from) {
                }

                @Override
                public void connectionLost(Throwable cause) {
                    datagramLost.complete(null);
                }
            }, DatagramOptions.DEFAULTS).await();
            udp.send(ByteBuffer.wrap(new byte[]{1}), udp.localAddress()); // starts its sender thread
            open.add(((VirtualThreadServer) server).channel());
            open.add(((VirtualThreadStreamTransport) transport).channel());
            open.add(((VirtualThreadStreamTransport) accepted.transport).channel());
            threads.addAll(loop.ioThreads());
            return null;
        }));
        loop.close();

        assertTrue(threads.size() >= 6, "accept, 2 readers, a writer, UDP receive and send threads: " + threads);
        for (Thread thread : threads) {
            assertFalse(thread.isAlive(), thread + " outlived the loop");
            assertTrue(thread.getName().startsWith("weft-vthreads-"), thread.getName());
        }
        assertEquals(List.of(), loop.ioThreads());
        for (Object channel : open) {
            assertFalse(((java.nio.channels.Channel) channel).isOpen(), channel + " is still open");
        }
        for (Recorder protocol : protocols) {
            assertFalse(protocol.outcome.isDone(), "connectionLost after the loop closed: " + protocol.events);
            assertFalse(protocol.events.contains("lost"));
        }
        assertFalse(datagramLost.isDone(), "the UDP endpoint's connectionLost after the loop closed");
    }
}
