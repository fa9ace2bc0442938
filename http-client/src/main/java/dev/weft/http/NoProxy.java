package dev.weft.http;

import java.math.BigInteger;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The hosts that {@code NO_PROXY} sends directly, matched as curl matches them, against the URL's host as written
 * (never a DNS answer):
 * <ul>
 *   <li>{@code *} alone: every host;</li>
 *   <li>a name: that host and every host under it ({@code example.org} and {@code .example.org} both match
 *       {@code example.org} and {@code www.example.org}, not {@code badexample.org});</li>
 *   <li>an IP literal ({@code 10.1.2.3}, {@code ::1}, {@code [::1]}): that address; a CIDR block
 *       ({@code 10.0.0.0/8}, {@code fd00::/8}): every address in it;</li>
 *   <li>any of these with {@code :port}: only on that port.</li>
 * </ul>
 * Entries are separated by commas or white space; case does not matter.
 */
final class NoProxy {
    static final NoProxy NONE = new NoProxy(List.of(), false);

    private record Entry(String host, BigInteger network, int prefix, int port) {
    }

    private final List<Entry> entries;
    private final boolean everything;

    private NoProxy(List<Entry> entries, boolean everything) {
        this.entries = entries;
        this.everything = everything;
    }

    /** The list as {@code NO_PROXY} holds it; null or blank: no host bypasses the proxy. */
    static NoProxy parse(String list) {
        if (list == null || list.isBlank()) {
            return NONE;
        }
        List<Entry> entries = new ArrayList<>();
        for (String item : list.strip().split("[,\\s]+")) {
            if (item.equals("*")) {
                return new NoProxy(List.of(), true);
            }
            if (!item.isEmpty()) {
                entries.add(entry(item.toLowerCase(Locale.ROOT)));
            }
        }
        return new NoProxy(List.copyOf(entries), false);
    }

    /** Whether requests to the origin go directly. */
    boolean bypasses(Origin origin) {
        if (everything) {
            return true;
        }
        BigInteger address = literal(origin.host());
        for (Entry entry : entries) {
            if (entry.port != -1 && entry.port != origin.port()) {
                continue;
            }
            boolean matches = entry.network != null
                    ? address != null && sameNetwork(address, origin.host(), entry)
                    : origin.host().equals(entry.host) || origin.host().endsWith("." + entry.host);
            if (matches) {
                return true;
            }
        }
        return false;
    }

    private static Entry entry(String item) {
        String host = item;
        int port = -1;
        if (host.startsWith("[")) { // [::1] or [::1]:8080
            int close = host.indexOf(']');
            if (close > 0 && host.startsWith(":", close + 1)) {
                port = number(host.substring(close + 2), item, "a port");
            }
            host = close > 0 ? host.substring(1, close) : host;
        } else if (host.indexOf(':') >= 0 && host.indexOf(':') == host.lastIndexOf(':')) { // name:port, v4:port
            port = number(host.substring(host.indexOf(':') + 1), item, "a port");
            host = host.substring(0, host.indexOf(':'));
        }
        int slash = host.indexOf('/');
        int prefix = -1;
        if (slash >= 0) {
            prefix = number(host.substring(slash + 1), item, "a prefix length");
            host = host.substring(0, slash);
        }
        BigInteger network = literal(host);
        if (network == null) {
            return new Entry(host.startsWith(".") ? host.substring(1) : host, null, 0, port);
        }
        return new Entry(host, network, prefix < 0 ? (host.indexOf(':') >= 0 ? 128 : 32) : prefix, port);
    }

    private static boolean sameNetwork(BigInteger address, String host, Entry entry) {
        int bits = host.indexOf(':') >= 0 ? 128 : 32;
        if ((entry.host.indexOf(':') >= 0 ? 128 : 32) != bits || entry.prefix > bits) {
            return false; // IPv4 against an IPv6 block or the other way round
        }
        int shift = bits - entry.prefix;
        return address.shiftRight(shift).equals(entry.network.shiftRight(shift));
    }

    private static int number(String digits, String item, String what) {
        if (!digits.matches("\\d{1,5}")) {
            throw new IllegalArgumentException("NO_PROXY entry '" + item + "' has no number where " + what
                    + " belongs: write host, host:port, .domain, an IP address or a CIDR block such as 10.0.0.0/8");
        }
        return Integer.parseInt(digits);
    }

    /** The address an IP literal names, as a number; null for a name. Never asks DNS. */
    private static BigInteger literal(String host) {
        boolean v4 = host.matches("\\d{1,3}(\\.\\d{1,3}){3}");
        boolean v6 = host.indexOf(':') >= 0 && host.matches("[0-9a-f:.]+");
        if (!v4 && !v6) {
            return null;
        }
        try {
            return new BigInteger(1, InetAddress.getByName(host).getAddress()); // a literal: parsed, not resolved
        } catch (UnknownHostException e) {
            return null;
        }
    }
}
