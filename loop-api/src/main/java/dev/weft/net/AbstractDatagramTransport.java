package dev.weft.net;

import dev.weft.loop.AbstractEventLoop;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.PortUnreachableException;
import java.net.SocketAddress;
import java.nio.ByteBuffer;
import java.util.Locale;
import java.util.Objects;

/**
 * What every backend's UDP endpoint does alike: the checks before a send (a connected endpoint sends only to its peer,
 * an unconnected one needs a target), errors of one send or receive handed to {@code errorReceived} with the address
 * named while the endpoint stays open, the protocol's callbacks with their errors, and the life cycle of
 * {@link AbstractTransport} ({@code close()} waits for the queued datagrams). A backend supplies the I/O. For backend
 * authors.
 */
public abstract class AbstractDatagramTransport extends AbstractTransport implements DatagramTransport {
    protected final DatagramProtocol protocol;

    protected AbstractDatagramTransport(AbstractEventLoop loop, DatagramProtocol protocol, SocketAddress localAddress,
                                        SocketAddress remoteAddress) {
        super(loop, localAddress, remoteAddress);
        this.protocol = protocol;
    }

    /** Send one datagram, now or after what is queued; {@code target} is null on a connected endpoint. */
    protected abstract void sendData(ByteBuffer data, SocketAddress target);

    @Override
    public final void send(ByteBuffer data, SocketAddress target) {
        loop.checkNetworkConfined("send");
        Objects.requireNonNull(data, "data");
        if (isClosing()) {
            throw closed("send");
        }
        SocketAddress remote = remoteAddress();
        if (remote != null) {
            if (target != null && !target.equals(remote)) {
                throw new IllegalArgumentException("the endpoint is connected to " + Addresses.format(remote)
                        + ": send to null (its remote address), not to " + Addresses.format(target));
            }
            target = null;
        } else if (target == null) {
            throw new IllegalArgumentException("the endpoint on " + Addresses.format(localAddress())
                    + " is not connected: send needs a target address");
        } else if (target instanceof InetSocketAddress) {
            JdkSockets.family(target, loop.backendName()); // unresolved: thrown, as for connect
        } else {
            throw new UnsupportedOperationException("Weft has no Unix datagram sockets: cannot send to "
                    + Addresses.format(target) + "; use an InetSocketAddress");
        }
        sendData(data, target);
    }

    @Override
    public final int sendBufferSize() {
        return isLost() ? 0 : (int) Math.min(queuedBytes(), Integer.MAX_VALUE);
    }

    /** Call {@code connectionMade}; returns what it threw, after reporting it and aborting the endpoint, or null. */
    protected final Throwable callConnectionMade() {
        try {
            protocol.connectionMade(this);
            return null;
        } catch (Throwable t) {
            protocolFailed("connectionMade", t);
            return t;
        }
    }

    /** Show the protocol a datagram; returns false if the callback threw (the endpoint is then aborted). */
    protected final boolean received(ByteBuffer data, SocketAddress from) {
        try {
            protocol.datagramReceived(data, from);
            return true;
        } catch (Throwable t) {
            protocolFailed("datagramReceived", t);
            return false;
        }
    }

    /** One send failed: the protocol hears of it, naming the target; the endpoint stays open. */
    protected final void sendFailed(Throwable error, SocketAddress target) {
        errorReceived(named("send to " + Addresses.format(target == null ? remoteAddress() : target), error));
    }

    /** One receive failed (on a connected endpoint, an earlier send's ICMP port unreachable); the endpoint stays open. */
    protected final void receiveFailed(Throwable error) {
        errorReceived(named("receive on " + Addresses.format(localAddress()), error));
    }

    private void errorReceived(Throwable error) {
        if (isLost()) {
            return;
        }
        try {
            protocol.errorReceived(error);
        } catch (Throwable t) {
            protocolFailed("errorReceived", t);
        }
    }

    /** The error, keeping its type where it is one callers test for, with the address in the message. */
    private static Throwable named(String what, Throwable error) {
        if (!(error instanceof IOException)) {
            return error;
        }
        String reason = error.getMessage() == null ? error.getClass().getSimpleName() : error.getMessage();
        boolean unreachable = error instanceof PortUnreachableException // Netty words ECONNREFUSED as "refused"
                || reason.toLowerCase(Locale.ROOT).contains("connection refused");
        IOException named = unreachable
                ? new PortUnreachableException(what + ": port unreachable (" + reason + ")")
                : new IOException(what + " failed (" + reason + ")");
        named.initCause(error);
        return named;
    }

    @Override
    protected final void callConnectionLost(Throwable cause) {
        protocol.connectionLost(cause);
    }

    /** What an operation on this endpoint throws once it is closing or gone. */
    protected final TransportClosedException closed(String operation) {
        return new TransportClosedException(operation + ": the UDP endpoint on " + Addresses.format(localAddress())
                + (remoteAddress() == null ? "" : " connected to " + Addresses.format(remoteAddress()))
                + (lostCause() == null ? " is closed" : " failed"), lostCause());
    }

    @Override
    protected final String describe() {
        return "UDP endpoint on " + Addresses.format(localAddress());
    }

    @Override
    protected final String kind() {
        return "endpoint";
    }
}
