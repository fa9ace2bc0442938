package dev.weft.net;

import dev.weft.loop.EventLoop;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Host names to socket addresses, without blocking the loop. What it does now:
 *
 * <ul>
 *   <li>an IP literal ({@code 127.0.0.1}, {@code ::1}) is parsed in place, with no lookup;</li>
 *   <li>any other name is looked up through the loop's {@link DnsCache}: {@link InetAddress#getAllByName} on the
 *       loop's default executor (a virtual thread of the JDK's scheduler), so the loop runs on while the system
 *       resolver works; concurrent lookups of a name share one resolution, and answers are kept for the JVM's
 *       {@code networkaddress.cache.ttl} (the JDK does not expose the records' own TTLs);</li>
 *   <li>every address found is returned, in the order the JDK gives them; {@link HappyEyeballs#interleave} then
 *       orders them for connecting (IPv6 first, alternating with IPv4).</li>
 * </ul>
 */
final class Resolver {
    private Resolver() {
    }

    /**
     * The addresses of the host at the port. In a task: a name lookup suspends it.
     *
     * @throws UnknownHostException if the name is not found; the message names the host
     */
    static List<InetSocketAddress> resolve(EventLoop loop, String host, int port) throws UnknownHostException {
        Objects.requireNonNull(host, "host");
        checkPort(port);
        InetAddress literal = literal(host);
        if (literal != null) {
            return List.of(new InetSocketAddress(literal, port));
        }
        List<InetAddress> found = DnsCache.of(loop).lookup(host);
        List<InetSocketAddress> addresses = new ArrayList<>(found.size());
        for (InetAddress address : found) {
            addresses.add(new InetSocketAddress(address, port));
        }
        return addresses;
    }

    /** The address an IP literal spells, or null if the host is a name. Never looks anything up. */
    private static InetAddress literal(String host) {
        String bare = host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
        if (bare.isEmpty() || !(Character.digit(bare.charAt(0), 16) >= 0 || bare.charAt(0) == ':')) {
            return null; // cannot be a literal: skip the parse (and its exception) for ordinary names
        }
        try {
            return InetAddress.ofLiteral(bare);
        } catch (IllegalArgumentException notALiteral) {
            return null;
        }
    }

    static void checkPort(int port) {
        if (port < 0 || port > 0xFFFF) {
            throw new IllegalArgumentException("port out of range 0-65535: " + port);
        }
    }
}
