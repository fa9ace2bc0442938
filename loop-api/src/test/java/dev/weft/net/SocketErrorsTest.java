package dev.weft.net;

import dev.weft.loop.BrokenResourceException;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.net.BindException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketException;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The one classifier every backend's errors go through. Loopback cannot produce most of these events, so they are
 * checked here on the words each backend really uses (the JDK's for nio and vthreads, Netty's for epoll and io_uring);
 * IoErrorSuite checks the events loopback can produce on every backend.
 */
class SocketErrorsTest {
    private static final InetSocketAddress PEER = new InetSocketAddress("10.255.255.1", 8080);

    @Test
    void aResetReadsTheSameWhateverTheBackendSaid() throws Exception {
        for (IOException said : new IOException[]{
                new SocketException("Connection reset"), // nio, vthreads: a read
                new SocketException("Connection reset by peer"), // nio: a write
                new IOException("Broken pipe"), // nio, vthreads: a write after the reset
                new IOException("recvAddress(..) failed with error(-104): Connection reset by peer"), // epoll
                new IOException("writevAddresses(..) failed with error(-32): Broken pipe"), // epoll
                new IOException("io_uring write(..) failed with error(-104): Connection reset by peer")}) {
            BrokenResourceException broken = SocketErrors.broken(said, PEER);
            assertEquals("connection reset by peer 10.255.255.1:8080", broken.getMessage(), said.getMessage());
            assertSame(said, broken.getCause());
        }
    }

    @Test
    void otherBreaksQuoteTheBackendWithoutNettysPrefix() {
        assertEquals("connection with 10.255.255.1:8080 broke: bad file descriptor",
                SocketErrors.broken(new IOException("read(..) failed with error(-9): Bad file descriptor"), PEER)
                        .getMessage());
        assertEquals("connection with 10.255.255.1:8080 timed out: the peer stopped answering",
                SocketErrors.broken(new IOException("Connection timed out"), PEER).getMessage());
    }

    @Test
    void connectErrorsKeepTheJdksTypesAndNameTheAddress() {
        assertConnect(ConnectException.class, "connection refused by 10.255.255.1:8080",
                new ConnectException("Connection refused"), // nio, vthreads
                new IOException("finishConnect(..) failed with error(-111): Connection refused"), // epoll
                new ConnectException("connect(..) failed: Connection refused")); // Netty's ConnectException
        assertConnect(NoRouteToHostException.class, "no route to 10.255.255.1:8080: the host is unreachable",
                new NoRouteToHostException("No route to host"),
                new IOException("connect(..) failed: No route to host"));
        assertConnect(NoRouteToHostException.class, "no route to 10.255.255.1:8080: the network is unreachable",
                new SocketException("Network is unreachable"), // the JDK
                new NoRouteToHostException(), // Netty's ENETUNREACH
                new NoRouteToHostException("null: /10.255.255.1:8080")); // the same, annotated by Netty's channel
        assertConnect(SocketTimeoutException.class, "cannot connect to 10.255.255.1:8080: the host did not answer "
                + "before the system gave up; check that it is up and reachable",
                new ConnectException("Connection timed out"));
        assertConnect(ConnectException.class, "cannot connect to 10.255.255.1:8080: permission denied",
                new SocketException("Permission denied"));
    }

    @Test
    void aConnectTimeoutNamesTheTargetOnceTheLimitAndTheRemedy() {
        assertEquals("cannot connect to 10.255.255.1:8080 within 250 ms: no answer; check that the host is up and "
                        + "reachable, or allow longer with SocketOptions.withConnectTimeout",
                SocketErrors.connectTimedOut(Addresses.format(PEER), Duration.ofMillis(250)).getMessage());
    }

    @Test
    void listenErrorsMapToTheJdksTypes() {
        InetSocketAddress address = new InetSocketAddress("127.0.0.1", 8080);
        IOException inUse = SocketErrors.listenFailed(new IOException("bind(..) failed: Address already in use"),
                address);
        assertEquals(BindException.class, inUse.getClass());
        assertEquals("address already in use: 127.0.0.1:8080", inUse.getMessage());
        IOException notOurs = SocketErrors.listenFailed(new BindException("Cannot assign requested address"), address);
        assertEquals("cannot bind 127.0.0.1:8080: cannot assign requested address", notOurs.getMessage());
    }

    @Test
    void addressesPrintAsHostAndPort() throws Exception {
        assertEquals("[::1]:80", Addresses.format(new InetSocketAddress("::1", 80)));
        assertEquals("[2001:db8::1:0:0:1]:443", Addresses.format(new InetSocketAddress("2001:db8:0:0:1:0:0:1", 443)));
        assertEquals("[::]:0", Addresses.format(new InetSocketAddress("::", 0)));
        assertEquals("127.0.0.1:80", Addresses.format(new InetSocketAddress(InetAddress.getByName("localhost"), 80)));
        assertEquals("example.org:80", Addresses.format(InetSocketAddress.createUnresolved("example.org", 80)));
        assertEquals("[::1]:80", Addresses.format("::1", 80));
    }

    /** The claim the printable copy rests on: InetSocketAddress.equals compares what the two hold, not the class. */
    @Test
    void aPrintableAddressEqualsThePlainOneBothWaysAndHashesAlike() throws Exception {
        InetSocketAddress plain = new InetSocketAddress(InetAddress.getByName("127.0.0.1"), 36804);
        SocketAddress printable = Addresses.printable(plain);
        assertNotEquals(InetSocketAddress.class, printable.getClass());
        assertEquals("127.0.0.1:36804", printable.toString());
        assertEquals("/127.0.0.1:36804", plain.toString());
        assertEquals(plain, printable);
        assertEquals(printable, plain);
        assertEquals(plain.hashCode(), printable.hashCode());
        Set<SocketAddress> set = new HashSet<>(Set.of(plain));
        assertTrue(set.contains(printable));
        InetSocketAddress v6 = new InetSocketAddress(InetAddress.getByName("::1"), 80);
        assertEquals("[::1]:80", Addresses.printable(v6).toString());
        assertEquals(v6, Addresses.printable(v6));
        assertSame(printable, Addresses.printable(printable));
    }

    @SafeVarargs
    private static void assertConnect(Class<? extends IOException> type, String message, IOException... said) {
        for (IOException error : said) {
            IOException named = SocketErrors.connectFailed(error, PEER);
            assertEquals(type, named.getClass(), String.valueOf(error));
            assertEquals(message, named.getMessage(), String.valueOf(error));
            assertSame(error, named.getCause());
        }
    }
}
