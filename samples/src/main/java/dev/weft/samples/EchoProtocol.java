package dev.weft.samples;

import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;

import java.nio.ByteBuffer;

/**
 * Echo at the transport level: every byte received is written back. The received buffer is the transport's and is
 * valid only during the call, so it is copied. Backpressure: when the peer reads slower than it writes, our write
 * buffer fills, the transport says pauseWriting, and we stop reading until it says resumeWriting.
 */
final class EchoProtocol implements StreamProtocol {
    private StreamTransport transport;

    @Override
    public void connectionMade(StreamTransport transport) {
        this.transport = transport;
    }

    @Override
    public void dataReceived(ByteBuffer data) {
        ByteBuffer copy = ByteBuffer.allocate(data.remaining());
        copy.put(data).flip();
        transport.write(copy);
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
