package dev.weft.net;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;

import java.net.SocketAddress;
import java.util.function.Supplier;

/**
 * The networking a backend's loop provides: streams to and from one resolved address (TCP {@code InetSocketAddress}
 * or Unix {@code UnixDomainSocketAddress}). Name resolution, trying several addresses, TLS and streams are built on
 * top of this, once, for every backend. Confined to the loop.
 */
public interface NetworkLoop extends EventLoop {

    /**
     * Connect to one address; the future completes with the transport after {@code connectionMade}. Cancelling the
     * future gives the connect up: no protocol callback follows.
     *
     * @throws IllegalArgumentException      for an unresolved address
     * @throws UnsupportedOperationException for an address that is neither IP nor Unix domain, or an option the
     *                                       backend lacks (SO_REUSEPORT)
     *
     * @return a future failing with {@link java.net.ConnectException} (refused), {@link java.net.NoRouteToHostException}
     *         (unreachable), {@link dev.weft.loop.DeadlineExceededException} (connect timeout), each naming the address
     */
    Future<StreamTransport> connect(SocketAddress address, StreamProtocol protocol, SocketOptions options);

    /**
     * Listen on one address; each accepted connection gets a new protocol from the factory.
     *
     * @return a future failing with {@link java.net.BindException} naming the address if it is taken
     */
    Future<Server> listen(SocketAddress address, Supplier<? extends StreamProtocol> protocols, SocketOptions options);
}
