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
     *         (unreachable), {@link java.net.SocketTimeoutException} (connect timeout), each made by
     *         {@link SocketErrors} so that it reads the same on every backend
     */
    Future<StreamTransport> connect(SocketAddress address, StreamProtocol protocol, SocketOptions options);

    /**
     * Listen on one address; each accepted connection gets a new protocol from the factory.
     *
     * @return a future failing with {@link java.net.BindException} naming the address if it is taken
     */
    Future<Server> listen(SocketAddress address, Supplier<? extends StreamProtocol> protocols, SocketOptions options);

    /**
     * Listen on one address here, but hand each accepted connection to the loop {@code placement} names: the acceptor
     * side of a {@link dev.weft.loop.LoopGroup loop group} on backends or platforms without SO_REUSEPORT. The
     * supplier is called on this loop once per accepted connection; the protocol is made by {@code protocols}, and all
     * its callbacks run, on the chosen loop, which must be a running loop of the same backend. {@link Server#closeClients()}
     * closes the connections on every loop.
     *
     * @throws UnsupportedOperationException if this backend cannot move an accepted connection to another loop (the
     *                                       default)
     * @return a future failing with {@link java.net.BindException} naming the address if it is taken
     */
    default Future<Server> listen(SocketAddress address, Supplier<? extends StreamProtocol> protocols,
                                  SocketOptions options, Supplier<? extends NetworkLoop> placement) {
        throw new UnsupportedOperationException(
                "the " + backendName() + " loop cannot hand accepted connections to other loops");
    }

    /**
     * Open a UDP endpoint bound to {@code local} (null: any address, any port) and, if {@code remote} is not null,
     * connected to it; the future completes with the transport after {@code connectionMade}.
     *
     * @throws IllegalArgumentException      for an unresolved address
     * @throws UnsupportedOperationException if the backend has no UDP ({@link dev.weft.loop.Capability#UDP}), or for
     *                                       an address that is not IP
     * @return a future failing with {@link java.net.BindException} naming the local address if it is taken
     */
    default Future<DatagramTransport> openDatagram(SocketAddress local, SocketAddress remote, DatagramProtocol protocol,
                                                   DatagramOptions options) {
        throw new UnsupportedOperationException("the " + backendName() + " loop has no UDP endpoints");
    }

    /**
     * How many delivered buffers the readers of this loop keep now ({@link ReadLease}s not yet released that hold a
     * transport's own memory, not a copy): zero once every connection is closed. For tests and leak hunting.
     */
    default int keptBuffers() {
        return 0;
    }
}
