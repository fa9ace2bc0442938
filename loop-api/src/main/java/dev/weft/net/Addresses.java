package dev.weft.net;

import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.UnixDomainSocketAddress;

/**
 * Socket addresses as people write them: {@code 127.0.0.1:8080}, {@code [::1]:8080}, {@code example.org:80}, or the
 * path of a Unix domain socket — never the JDK's {@code /127.0.0.1:8080} or {@code localhost/127.0.0.1:8080}. Every
 * Weft message and {@code toString} prints addresses this way, and the addresses transports hand out
 * ({@link Transport#localAddress()}, {@link Transport#remoteAddress()}) print so too ({@link #printable}).
 */
public final class Addresses {
    private Addresses() {
    }

    /**
     * The address as {@code host:port}: an IP literal for a resolved address (IPv6 in brackets, in its shortest form,
     * RFC 5952), the name for an unresolved one, the path for a Unix domain socket, {@code (unbound)} for null.
     */
    public static String format(SocketAddress address) {
        return switch (address) {
            case null -> "(unbound)";
            case InetSocketAddress inet when inet.isUnresolved() -> format(inet.getHostString(), inet.getPort());
            case InetSocketAddress inet -> format(literal(inet.getAddress()), inet.getPort());
            case UnixDomainSocketAddress unix -> unix.getPath().toString();
            default -> address.toString();
        };
    }

    /** {@code host:port}, with brackets around an IPv6 literal. */
    public static String format(String host, int port) {
        return (host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * The same address, printing as {@link #format} does. An {@link InetSocketAddress} comes back as an
     * InetSocketAddress equal to it (and it to the copy: {@code equals} and {@code hashCode} compare host, address and
     * port, not the class), so code that compares, hashes or casts addresses is not affected. Others (null, an
     * unresolved address, which only the JDK's own factory can make, a Unix domain socket's) come back as they are.
     */
    public static SocketAddress printable(SocketAddress address) {
        if (address instanceof InetSocketAddress inet && !inet.isUnresolved()
                && !(address instanceof PrintableInetSocketAddress)) {
            return PrintableInetSocketAddress.of(inet);
        }
        return address;
    }

    /** An IP address as a literal: IPv4 dotted, IPv6 compressed ({@code ::1}, {@code fe80::1%eth0}). */
    static String literal(InetAddress address) {
        String text = address.getHostAddress();
        return address instanceof Inet6Address ? compress(text) : text;
    }

    /** RFC 5952 §4.2: the longest run of two or more zero groups (the first of equals) becomes {@code ::}. */
    private static String compress(String full) {
        int percent = full.indexOf('%');
        String scope = percent >= 0 ? full.substring(percent) : "";
        String[] groups = (percent >= 0 ? full.substring(0, percent) : full).split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; ) {
            if (!groups[i].equals("0")) {
                i++;
                continue;
            }
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = j;
        }
        if (bestStart < 0) {
            return String.join(":", groups) + scope;
        }
        String head = String.join(":", java.util.Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", java.util.Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail + scope;
    }
}
