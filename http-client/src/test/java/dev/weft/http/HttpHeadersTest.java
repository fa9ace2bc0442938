package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class HttpHeadersTest {

    @Test
    void namesAreCaseInsensitiveAndValuesKeepTheirOrder() {
        var h = HttpHeaders.of("Set-Cookie", "a=1", "Content-Type", "text/plain", "set-cookie", "b=2");
        assertEquals(3, h.size());
        assertEquals("a=1", h.first("SET-COOKIE"));
        assertEquals(List.of("a=1", "b=2"), h.all("Set-Cookie"));
        assertEquals(List.of(), h.all("X-Missing"));
        assertNull(h.first("X-Missing"));
        assertTrue(h.contains("content-type"));
        assertFalse(h.contains("Content"));
        List<String> seen = new ArrayList<>();
        for (Map.Entry<String, String> e : h) {
            seen.add(e.getKey() + "=" + e.getValue());
        }
        assertEquals(List.of("Set-Cookie=a=1", "Content-Type=text/plain", "set-cookie=b=2"), seen);
        assertEquals("[Set-Cookie: a=1, Content-Type: text/plain, set-cookie: b=2]", h.toString());
    }

    @Test
    void buildersAddSetAndRemove() {
        var h = HttpHeaders.builder().add("A", "1").add("B", "2").add("a", "3").add("C", "4")
                .set("A", "5").remove("c").build();
        assertEquals("[A: 5, B: 2]", h.toString());
        var changed = h.toBuilder().add("B", "6").set("D", "7").build();
        assertEquals("[A: 5, B: 2, B: 6, D: 7]", changed.toString());
        assertEquals("[A: 5, B: 2]", h.toString(), "the original is immutable");
        assertEquals("[A: 5, B: 2, X: y]",
                HttpHeaders.builder().addAll(h).add("X", "y").build().toString());
        assertSame(HttpHeaders.EMPTY, HttpHeaders.builder().add("A", "1").remove("a").build());
        assertEquals(0, HttpHeaders.EMPTY.size());
    }

    @Test
    void equalityIgnoresTheCaseOfNamesButNotTheOrder() {
        assertEquals(HttpHeaders.of("Accept", "*/*", "X", "1"), HttpHeaders.of("accept", "*/*", "x", "1"));
        assertEquals(HttpHeaders.of("Accept", "*/*").hashCode(), HttpHeaders.of("ACCEPT", "*/*").hashCode());
        assertNotEquals(HttpHeaders.of("A", "1", "B", "2"), HttpHeaders.of("B", "2", "A", "1"));
        assertNotEquals(HttpHeaders.of("A", "x"), HttpHeaders.of("A", "X"));
    }

    @Test
    void containsTokenReadsCommaLists() {
        var h = HttpHeaders.of("Connection", "keep-alive", "Connection", " Upgrade ,\tCLOSE", "X", "closed, ,");
        assertTrue(h.containsToken("connection", "close"));
        assertTrue(h.containsToken("Connection", "upgrade"));
        assertTrue(h.containsToken("Connection", "Keep-Alive"));
        assertFalse(h.containsToken("Connection", "clos"));
        assertFalse(h.containsToken("X", "close"));
        assertTrue(h.containsToken("X", "closed"));
        assertFalse(h.containsToken("Missing", "close"));
    }

    @Test
    void badNamesAndValuesAreRefusedBeforeAnythingIsSent() {
        var crlf = assertThrows(IllegalArgumentException.class,
                () -> HttpHeaders.builder().add("X-Id", "1\r\nInjected: yes"));
        assertEquals("the value of header X-Id holds CR (0x0d) at index 1: line ends and control characters could "
                + "split the request; remove them", crlf.getMessage());
        var lf = assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("X-Id", "a\nb"));
        assertTrue(lf.getMessage().contains("LF (0x0a) at index 1"), lf.getMessage());
        var nul = assertThrows(IllegalArgumentException.class, () -> HttpHeaders.builder().set("X-Id", "a\0"));
        assertTrue(nul.getMessage().contains("NUL (0x00) at index 1"), nul.getMessage());
        var euro = assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("X-Name", "5€"));
        assertTrue(euro.getMessage().contains("U+20AC at index 1: a value is sent as ISO-8859-1"),
                euro.getMessage());
        var name = assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("Bad\r\nName", "v"));
        assertEquals("header name 'Bad\\r\\nName' holds CR (0x0d) at index 3: a name is a token (letters, digits "
                + "and !#$%&'*+-.^_`|~), as RFC 9110 §5.6.2 says", name.getMessage());
        var colon = assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("Host:", "x"));
        assertTrue(colon.getMessage().contains("holds ':' at index 4"), colon.getMessage());
        assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("", "x"));
        assertThrows(IllegalArgumentException.class, () -> HttpHeaders.of("Odd"));
        assertThrows(NullPointerException.class, () -> HttpHeaders.of("A", null));
        // Tabs, spaces and Latin-1 text are fine.
        assertEquals("a\tb café", HttpHeaders.of("X", "a\tb café").first("x"));
    }
}
