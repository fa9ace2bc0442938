package dev.weft.samples;

import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;

import java.nio.ByteBuffer;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Echo at the transport level: every byte received is written back, from the very buffer the transport showed us
 * (see {@link StreamProtocol#dataReceived}). Backpressure: when the peer reads slower than it writes, our write
 * buffer fills, the transport says pauseWriting, and we stop reading until it says resumeWriting.
 */
final class EchoProtocol implements StreamProtocol {
    private final AtomicInteger open; // connections of the server, shared by its loops
    private StreamTransport transport;

    EchoProtocol(AtomicInteger open) {
        this.open = open;
    }

    @Override
    public void connectionMade(StreamTransport transport) {
        this.transport = transport;
        open.incrementAndGet();
    }

    @Override
    public void connectionLost(Throwable cause) {
        open.decrementAndGet();
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        transport.write(data); // the transport keeps what it cannot send now; no copy of our own
    }

    @Override
    public boolean eofReceived() {
        return false; // the peer is done: close once what we owe it has been written
    }

    @Override
    public void pauseWriting() {
        transport.pauseReading();
    }

    @Override
    public void resumeWriting() {
        transport.resumeReading();
    }
}
