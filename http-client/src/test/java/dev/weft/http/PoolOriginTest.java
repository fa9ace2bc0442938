package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.net.URI;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link Origin}: the key connections are pooled under. No loop needed. */
class PoolOriginTest {

    @Test
    void defaultPortsAndLowerCase() {
        assertEquals(new Origin("http", "example.org", 80), Origin.of(URI.create("HTTP://Example.ORG/a?b")));
        assertEquals(new Origin("https", "example.org", 443), Origin.of(URI.create("https://example.org")));
        assertEquals(new Origin("http", "127.0.0.1", 8001), Origin.of(URI.create("http://127.0.0.1:8001/flags")));
        assertEquals("http://example.org:80", Origin.of(URI.create("http://example.org/")).toString());
    }

    @Test
    void ipv6LiteralsKeepTheirBracketsOnlyInPrint() {
        Origin o = Origin.of(URI.create("http://[::1]:8080/x"));
        assertEquals("::1", o.host());
        assertEquals("http://[::1]:8080", o.toString());
        assertEquals(o, new Origin("http", "[::1]", 8080));
    }

    @Test
    void httpAndHttpsOfOneHostAreTwoOrigins() {
        assertTrue(!Origin.of(URI.create("http://a.test:443")).equals(Origin.of(URI.create("https://a.test"))));
    }

    @Test
    void badInputIsRefusedNamingTheCause() {
        var ftp = assertThrows(IllegalArgumentException.class, () -> Origin.of(URI.create("ftp://a.test/x")));
        assertTrue(ftp.getMessage().contains("ftp"), ftp.getMessage());
        var relative = assertThrows(IllegalArgumentException.class, () -> Origin.of(URI.create("/flags/cn.png")));
        assertTrue(relative.getMessage().contains("no scheme"), relative.getMessage());
        var noHost = assertThrows(IllegalArgumentException.class, () -> Origin.of(URI.create("http://under_score/")));
        assertTrue(noHost.getMessage().contains("names no host"), noHost.getMessage());
        assertThrows(IllegalArgumentException.class, () -> new Origin("http", " ", 80));
        var port = assertThrows(IllegalArgumentException.class, () -> new Origin("http", "a.test", 70000));
        assertTrue(port.getMessage().contains("1 to 65535"), port.getMessage());
    }
}
