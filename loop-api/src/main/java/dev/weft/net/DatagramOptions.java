package dev.weft.net;

/**
 * Options of a UDP endpoint.
 *
 * @param reuseAddress SO_REUSEADDR
 * @param reusePort    SO_REUSEPORT, where the backend supports it
 * @param broadcast    SO_BROADCAST
 */
public record DatagramOptions(boolean reuseAddress, boolean reusePort, boolean broadcast) {

    public static final DatagramOptions DEFAULTS = new DatagramOptions(false, false, false);

    public DatagramOptions withReuseAddress(boolean on) {
        return new DatagramOptions(on, reusePort, broadcast);
    }

    public DatagramOptions withReusePort(boolean on) {
        return new DatagramOptions(reuseAddress, on, broadcast);
    }

    public DatagramOptions withBroadcast(boolean on) {
        return new DatagramOptions(reuseAddress, reusePort, on);
    }
}
