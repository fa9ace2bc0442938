package dev.weft.net;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/**
 * Host names to socket addresses, without blocking the loop. What it does now:
 *
 * <ul>
 *   <li>an IP literal ({@code 127.0.0.1}, {@code ::1}) is parsed in place, with no lookup;</li>
 *   <li>any other name is looked up with {@link InetAddress#getAllByName} on the loop's default executor (a virtual
 *       thread of the JDK's scheduler), so the loop runs on while the system resolver works;</li>
 *   <li>every address found is returned, in the order the JDK gives them ({@code java.net.preferIPv6Addresses}
 *       decides between IPv4 and IPv6); the JDK's own cache ({@code networkaddress.cache.ttl}) is the only one.</li>
 * </ul>
 *
 * Callers try the addresses one after another; racing them (Happy Eyeballs, RFC 8305) and a cache that honours the
 * records' TTLs are not part of it yet.
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
        Future<InetAddress[]> lookup = loop.runInExecutor(null, () -> InetAddress.getAllByName(host));
        InetAddress[] found;
        try {
            found = lookup.await();
        } catch (CompletionException e) {
            if (e.getCause() instanceof UnknownHostException notFound) {
                String reason = notFound.getMessage();
                UnknownHostException named = new UnknownHostException(
                        reason != null && reason.contains(host) ? reason : host + ": " + reason);
                named.initCause(notFound);
                throw named;
            }
            throw e;
        }
        List<InetSocketAddress> addresses = new ArrayList<>(found.length);
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
