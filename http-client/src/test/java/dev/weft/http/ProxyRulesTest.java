package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Proxy URLs, the environment's proxy variables and NO_PROXY, read as curl reads them. No network. */
class ProxyRulesTest {
    private static final Origin HTTP = new Origin("http", "example.org", 80);
    private static final Origin HTTPS = new Origin("https", "example.org", 443);

    @Test
    void aProxyUrlGivesHostPortAndDecodedCredentialsAndHidesThePassword() {
        HttpProxy proxy = HttpProxy.parse("http://al%40ice:p%3Ass+w@Proxy.Example:3128/");
        assertEquals(new Origin("http", "proxy.example", 3128), proxy.origin());
        assertEquals("al@ice", proxy.user());
        assertEquals("p:ss+w", proxy.password());
        assertEquals("http://al@ice:***@proxy.example:3128", proxy.toString());
        assertEquals("Basic YWxAaWNlOnA6c3Mrdw==", proxy.authorization()); // base64("al@ice:p:ss+w")
    }

    @Test
    void aProxyUrlWithoutSchemeOrPortIsHttpOnPort80() {
        HttpProxy proxy = HttpProxy.parse("proxy.example");
        assertEquals(new Origin("http", "proxy.example", 80), proxy.origin());
        assertNull(proxy.user());
        assertNull(proxy.authorization());
        assertEquals("", HttpProxy.parse("http://bob@proxy.example:8080").password(), "a user with no password");
    }

    @Test
    void otherSchemesPathsAndGarbageAreRefusedWithTheRemedyAndNoPassword() {
        var socks = assertThrows(IllegalArgumentException.class, () -> HttpProxy.parse("socks5://h:1080"));
        assertTrue(socks.getMessage().contains("http and https, not socks5"), socks.getMessage());
        var tls = assertThrows(IllegalArgumentException.class, () -> HttpProxy.parse("https://h:3129"));
        assertTrue(tls.getMessage().contains("only http:// proxies"), tls.getMessage());
        var path = assertThrows(IllegalArgumentException.class, () -> HttpProxy.parse("http://u:secret@h:1/x"));
        assertTrue(path.getMessage().contains("has a path") && !path.getMessage().contains("secret"),
                path.getMessage());
        var bad = assertThrows(IllegalArgumentException.class, () -> HttpProxy.parse("http://u:sec ret@h:1"));
        assertFalse(bad.getMessage().contains("sec ret"), bad.getMessage());
    }

    @Test
    void theEnvironmentIsReadOnlyForItsSchemeAndLowerCaseWins() {
        ProxyRules rules = ProxyRules.fromEnvironment(Map.of(
                "http_proxy", "http://lower:1", "HTTP_PROXY", "http://upper:1", "HTTPS_PROXY", "http://secure:2"));
        assertEquals("lower", rules.proxyFor(HTTP).origin().host());
        assertEquals("secure", rules.proxyFor(HTTPS).origin().host());
        assertNull(ProxyRules.fromEnvironment(Map.of("https_proxy", "http://s:2")).proxyFor(HTTP),
                "https_proxy is not for http URLs");
        assertNull(ProxyRules.NONE.proxyFor(HTTP));
    }

    @Test
    void allProxyServesWhereTheSchemesOwnIsUnsetOrEmpty() {
        ProxyRules rules = ProxyRules.fromEnvironment(Map.of("ALL_PROXY", "all:3", "http_proxy", ""));
        assertEquals("all", rules.proxyFor(HTTP).origin().host(), "an empty variable is unset");
        assertEquals("all", rules.proxyFor(HTTPS).origin().host());
    }

    @Test
    void upperCaseHttpProxyIsIgnoredInACgiProgram() {
        assertNull(ProxyRules.fromEnvironment(Map.of("HTTP_PROXY", "http://evil:1", "REQUEST_METHOD", "GET"))
                .proxyFor(HTTP), "httpoxy: the request's Proxy header arrives as HTTP_PROXY");
        assertEquals("p", ProxyRules.fromEnvironment(Map.of("http_proxy", "http://p:1", "REQUEST_METHOD", "GET"))
                .proxyFor(HTTP).origin().host());
    }

    @Test
    void aBadProxyVariableNamesItself() {
        var e = assertThrows(IllegalArgumentException.class,
                () -> ProxyRules.fromEnvironment(Map.of("ALL_PROXY", "socks5h://h:1080")));
        assertTrue(e.getMessage().contains("all_proxy") && e.getMessage().contains("trustEnv"), e.getMessage());
    }

    @Test
    void noProxyMatchesHostsAndTheirSubdomainsOnly() {
        NoProxy list = NoProxy.parse("example.org, .internal  localhost");
        assertTrue(list.bypasses(origin("example.org", 80)));
        assertTrue(list.bypasses(origin("www.example.org", 443)));
        assertTrue(list.bypasses(origin("internal", 80)), "a leading dot also matches the domain itself");
        assertTrue(list.bypasses(origin("db.internal", 80)));
        assertTrue(list.bypasses(origin("LOCALHOST", 80)), "case does not matter");
        assertFalse(list.bypasses(origin("badexample.org", 80)), "a suffix counts at a dot only");
        assertFalse(list.bypasses(origin("example.org.evil", 80)));
    }

    @Test
    void noProxyStarMatchesEverythingAndBlankNothing() {
        assertTrue(NoProxy.parse("*").bypasses(origin("anything.test", 1)));
        assertFalse(NoProxy.parse(" ").bypasses(origin("anything.test", 1)));
        assertFalse(NoProxy.parse(null).bypasses(origin("anything.test", 1)));
    }

    @Test
    void noProxyWithAPortMatchesThatPortOnly() {
        NoProxy list = NoProxy.parse("example.org:8080,10.0.0.1:81,[::1]:82");
        assertTrue(list.bypasses(origin("example.org", 8080)));
        assertFalse(list.bypasses(origin("example.org", 80)));
        assertTrue(list.bypasses(origin("10.0.0.1", 81)));
        assertFalse(list.bypasses(origin("10.0.0.1", 80)));
        assertTrue(list.bypasses(origin("::1", 82)));
        assertFalse(list.bypasses(origin("::1", 80)));
    }

    @Test
    void noProxyMatchesIpLiteralsAndCidrBlocksWithoutDns() {
        NoProxy list = NoProxy.parse("127.0.0.1,10.0.0.0/8,::1,fd00::/8");
        assertTrue(list.bypasses(origin("127.0.0.1", 80)));
        assertFalse(list.bypasses(origin("127.0.0.2", 80)));
        assertTrue(list.bypasses(origin("10.200.3.4", 80)));
        assertFalse(list.bypasses(origin("11.0.0.1", 80)));
        assertTrue(list.bypasses(origin("::1", 80)));
        assertTrue(list.bypasses(origin("fd12:3456::1", 443)));
        assertFalse(list.bypasses(origin("fe80::1", 443)));
        assertFalse(list.bypasses(origin("localhost", 80)), "a name is not resolved to match an address");
    }

    @Test
    void noProxyRefusesAPortOrPrefixThatIsNoNumber() {
        var e = assertThrows(IllegalArgumentException.class, () -> NoProxy.parse("example.org:http"));
        assertTrue(e.getMessage().contains("'example.org:http'") && e.getMessage().contains("a port"),
                e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> NoProxy.parse("10.0.0.0/x"));
    }

    @Test
    void noProxySendsMatchingOriginsDirectlyAndOthersThroughTheProxy() {
        ProxyRules rules = ProxyRules.fromEnvironment(Map.of("https_proxy", "p:1", "NO_PROXY", "example.org"));
        assertNull(rules.proxyFor(HTTPS));
        assertEquals("p", rules.proxyFor(origin("https", "example.net", 443)).origin().host());
    }

    @Test
    void aGivenProxyServesBothSchemes() {
        HttpProxy proxy = HttpProxy.parse("http://p:1");
        assertEquals(proxy, ProxyRules.always(proxy).proxyFor(HTTP));
        assertEquals(proxy, ProxyRules.always(proxy).proxyFor(HTTPS));
    }

    private static Origin origin(String host, int port) {
        return new Origin("http", host, port);
    }

    private static Origin origin(String scheme, String host, int port) {
        return new Origin(scheme, host, port);
    }
}
