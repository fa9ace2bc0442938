package dev.weft.net;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketException;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** The error wording every backend shares; loopback cannot produce most of these, so they are checked by type. */
class SocketErrorsTest {

    /** Loopback cannot produce EHOSTUNREACH; the mapping is checked on the JDK's own exception types. */
    @Test
    void connectErrorsKeepTheirTypeAndNameTheAddress() {
        InetSocketAddress address = new InetSocketAddress("10.255.255.1", 8080);
        IOException unreachable = SocketErrors.connectFailed(new NoRouteToHostException("No route to host"),
                address);
        assertEquals(NoRouteToHostException.class, unreachable.getClass());
        assertEquals("host unreachable: 10.255.255.1:8080 (No route to host)", unreachable.getMessage());
        IOException refused = SocketErrors.connectFailed(new ConnectException("Connection refused"), address);
        assertEquals(ConnectException.class, refused.getClass());
        assertEquals("connection refused: 10.255.255.1:8080", refused.getMessage());
        IOException other = SocketErrors.connectFailed(new SocketException("Network is unreachable"), address);
        assertEquals(ConnectException.class, other.getClass());
        assertEquals("cannot connect to 10.255.255.1:8080 (Network is unreachable)", other.getMessage());
        assertEquals("[0:0:0:0:0:0:0:1]:80", SocketErrors.describe(new InetSocketAddress("::1", 80)));
    }

    /** Netty words errno its own way ("bind(..) failed: Address already in use") in a plain IOException. */
    @Test
    void nettysWordingMapsToTheJdksTypes() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 8080);
        IOException inUse = SocketErrors.listenFailed(new IOException("bind(..) failed: Address already in use"),
                address);
        assertEquals(BindException.class, inUse.getClass());
        assertEquals("address already in use: 127.0.0.1:8080", inUse.getMessage());
        IOException refused = SocketErrors.connectFailed(
                new IOException("finishConnect(..) failed: Connection refused"), address);
        assertEquals(ConnectException.class, refused.getClass());
        IOException noRoute = SocketErrors.connectFailed(new IOException("connect(..) failed: No route to host"),
                address);
        assertEquals(NoRouteToHostException.class, noRoute.getClass());
    }
}
