package dev.weft.testkit;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.List;

/**
 * Peers that send and do not read, on a thread of their own with plain JDK sockets, so that nothing of Weft's on the
 * client side shares the heap being measured with the server. Each connection sends a numbered byte stream as fast as
 * the kernel takes it; after {@link #startReading()} it stops sending, half-closes, and reads its echo to the end,
 * checking every byte against what it sent. A connection goes on sending while the others are opened: the kernel
 * sometimes takes a little more from a stalled one a while later (once it has compacted its receive queue), and the
 * server would then no longer be stalled.
 */
final class StalledClients {
    private static final int IO_SIZE = 64 * 1024;

    private final InetSocketAddress server;
    private final Selector selector;
    private final List<SocketChannel> channels = new ArrayList<>(); // the clients' thread only
    private final List<long[]> counts = new ArrayList<>(); // per connection: bytes sent, bytes received
    private final ByteBuffer io = ByteBuffer.allocateDirect(IO_SIZE); // direct: the heap sees none of the traffic
    private final int count;
    private volatile boolean reading;

    StalledClients(String host, int port, int count) throws IOException {
        this.server = new InetSocketAddress(host, port);
        this.count = count;
        this.selector = Selector.open();
    }

    /** Any thread: stop sending and read the echoes back. */
    void startReading() {
        reading = true;
        selector.wakeup();
    }

    /**
     * On the clients' thread: connect, send until {@link #startReading()}, then read every echo to its end; returns
     * the bytes sent, per connection. Closes the connections and the selector before it returns or throws.
     */
    long[] run() throws IOException {
        try {
            while (channels.size() < count) {
                connect();
            }
            while (!reading) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    send((Integer) key.attachment());
                }
                selector.selectedKeys().clear();
            }
            for (SelectionKey key : selector.keys()) {
                ((SocketChannel) key.channel()).shutdownOutput();
                key.interestOps(SelectionKey.OP_READ);
            }
            int open = channels.size();
            while (open > 0) {
                selector.select();
                for (SelectionKey key : selector.selectedKeys()) {
                    if (!receive((Integer) key.attachment())) {
                        key.cancel();
                        open--;
                    }
                }
                selector.selectedKeys().clear();
            }
            return counts.stream().mapToLong(count -> count[0]).toArray();
        } finally {
            close();
        }
    }

    private void connect() throws IOException {
        SocketChannel channel = SocketChannel.open();
        channels.add(channel);
        counts.add(new long[2]);
        channel.connect(server);
        channel.configureBlocking(false);
        channel.register(selector, SelectionKey.OP_WRITE, channels.size() - 1);
    }

    private void send(int client) throws IOException {
        long[] count = counts.get(client);
        io.clear();
        for (int i = 0; i < IO_SIZE; i++) {
            io.put(pattern(client, count[0] + i));
        }
        count[0] += channels.get(client).write(io.flip());
    }

    /** Read what is there and check it; false at the end of the stream. */
    private boolean receive(int client) throws IOException {
        long[] count = counts.get(client);
        io.clear();
        int read = channels.get(client).read(io);
        if (read < 0) {
            if (count[1] != count[0]) {
                throw new AssertionError("client " + client + " sent " + count[0] + " bytes and got " + count[1]
                        + " back before the end of the stream");
            }
            return false;
        }
        io.flip();
        for (int i = 0; i < read; i++) {
            long at = count[1]++;
            if (io.get() != pattern(client, at)) {
                throw new AssertionError("client " + client + ": byte " + at + " of the echo is not the one it sent");
            }
        }
        return true;
    }

    /** The byte at this offset of this client's stream: offsets and clients differ, so a lost or stray piece shows. */
    private static byte pattern(int client, long offset) {
        return (byte) (offset * 31 + (offset >>> 16) + client * 101L);
    }

    private void close() {
        for (SocketChannel channel : channels) {
            try {
                channel.close();
            } catch (IOException ignored) {
                // closing a socket fails only if it was never open
            }
        }
        try {
            selector.close();
        } catch (IOException ignored) {
            // nothing to release
        }
    }

    @Override
    public String toString() {
        return "StalledClients[" + count + " to " + server + (reading ? ", reading" : "") + "]";
    }
}
