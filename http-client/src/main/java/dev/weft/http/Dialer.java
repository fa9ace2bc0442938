package dev.weft.http;

import dev.weft.loop.EventLoop;
import dev.weft.net.Addresses;
import dev.weft.net.DnsCache;
import dev.weft.net.HappyEyeballs;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamReader;
import dev.weft.net.Streams;
import dev.weft.net.TlsOptions;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.List;

/**
 * Making a connection step by step — resolve, connect, handshake — telling the attempt's tracer each step.
 * {@code Streams.openConnection(host, port)} would resolve and connect in one call and hide the lookup; the steps it
 * takes are in loop-api one by one (the loop's {@link DnsCache}, Happy Eyeballs over addresses, {@code startTls}), so
 * the connection made is the same. The caller bounds it all with the connect timeout.
 */
final class Dialer {
    private Dialer() {
    }

    /** A plain TCP connection to the origin's host and port (a name looked up, a literal as it is). */
    static StreamConnection connect(Origin origin, Attempt attempt) throws IOException {
        List<InetSocketAddress> addresses = resolve(origin, attempt);
        attempt.connectStart(addresses);
        StreamConnection connection = Streams.openConnection(Addresses.format(origin.host(), origin.port()),
                addresses, HappyEyeballs.DEFAULT_ATTEMPT_DELAY, SocketOptions.DEFAULTS, StreamReader.DEFAULT_LIMIT);
        attempt.connectEnd(connection.writer().remoteAddress());
        return connection;
    }

    /** TLS over the connection, verified against the origin's host; the connection is closed if it fails. */
    static void startTls(StreamConnection connection, Origin origin, TlsOptions tls, Attempt attempt)
            throws IOException {
        Streams.startTls(connection, tls.withServerName(origin.host()), false);
        attempt.tlsDone();
    }

    /** The origin's addresses: an IP literal as it is, a name through the loop's DNS cache. */
    private static List<InetSocketAddress> resolve(Origin origin, Attempt attempt) throws UnknownHostException {
        InetAddress literal = literal(origin.host());
        if (literal != null) {
            return List.of(new InetSocketAddress(literal, origin.port()));
        }
        attempt.dnsStart(origin.host());
        List<InetAddress> found = DnsCache.of(EventLoop.current()).lookup(origin.host());
        attempt.dnsEnd(origin.host(), found);
        return found.stream().map(address -> new InetSocketAddress(address, origin.port())).toList();
    }

    /** The address an IP literal spells, or null for a host name; never looks anything up. */
    private static InetAddress literal(String host) {
        if (host.indexOf(':') < 0 && Character.digit(host.charAt(host.length() - 1), 10) < 0) {
            return null; // a name: an IPv4 literal ends in a digit, and an IPv6 one has a colon
        }
        try {
            return InetAddress.ofLiteral(host);
        } catch (IllegalArgumentException name) {
            return null;
        }
    }
}
