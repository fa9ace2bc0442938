/**
 * Networking on any loop, at asyncio's two levels.
 *
 * <p><b>Transports and protocols</b>, for library authors and speed: a backend's {@link dev.weft.net.StreamTransport}
 * moves bytes and calls a {@link dev.weft.net.StreamProtocol} back on the loop — connection made, data received, EOF
 * received, connection lost — and tells it to pause and resume writing when its write buffer crosses the high and low
 * water marks. All of it runs on the loop thread; transports are confined to their loop.
 * UDP has its own pair: a {@link dev.weft.net.DatagramTransport} from
 * {@link dev.weft.net.NetworkLoop#openDatagram} calls a {@link dev.weft.net.DatagramProtocol} back with each datagram
 * and its sender, and with send and receive errors the endpoint survives.
 *
 * <p><b>Streams</b>, for tasks: a reader with {@code read}, {@code readExactly}, {@code readLine}, {@code readUntil}
 * and a writer with {@code write}, {@code drain}, {@code writeEof}, {@code close}, built on the transports, so every
 * backend gets them: {@link dev.weft.net.Streams#openConnection} and {@link dev.weft.net.Streams#startServer} (a task
 * per connection; {@link dev.weft.net.StreamServer#serveForever()}, {@code closeGracefully}).
 *
 * <p><b>Across cores</b>: a {@link dev.weft.net.GroupServer} (transports) or {@link dev.weft.net.GroupStreamServer}
 * (streams) listens on one address for a whole {@link dev.weft.loop.LoopGroup}, each connection served on one loop of
 * it, spread by SO_REUSEPORT or by one acceptor ({@link dev.weft.net.Spread}).
 *
 * <p><b>Bytes</b> cross as {@link java.nio.ByteBuffer}: a buffer handed to {@code dataReceived} is valid only during
 * the call (a backend may reuse or release it afterwards); a buffer handed to {@code write} belongs to the transport
 * from then on.
 */
package dev.weft.net;
