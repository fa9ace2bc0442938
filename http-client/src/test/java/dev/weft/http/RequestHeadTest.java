package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class RequestHeadTest {

    @Test
    void encodesTheRequestLineAndFields() {
        ByteBuffer head = RequestHead.encode("GET", "/flags/cn.png?x=%20y",
                HttpHeaders.of("Host", "127.0.0.1:8001", "Accept", "*/*", "X-Latin", "café"));
        assertEquals("GET /flags/cn.png?x=%20y HTTP/1.1\r\nHost: 127.0.0.1:8001\r\nAccept: */*\r\nX-Latin: café"
                + "\r\n\r\n", StandardCharsets.ISO_8859_1.decode(head).toString());
        assertEquals(head.capacity(), head.limit());
        assertEquals("OPTIONS * HTTP/1.1\r\n\r\n",
                StandardCharsets.ISO_8859_1.decode(RequestHead.encode("OPTIONS", "*", HttpHeaders.EMPTY)).toString());
    }

    @Test
    void refusesMethodsAndTargetsThatCouldSplitTheRequest() {
        var method = assertThrows(IllegalArgumentException.class,
                () -> RequestHead.encode("GET /evil HTTP/1.1\r\n", "/", HttpHeaders.EMPTY));
        assertEquals("the request method \"GET /evil HTTP/1.1\\r\\n\" holds a space at index 3: a method is a token,"
                + " as GET or PROPFIND", method.getMessage());
        var target = assertThrows(IllegalArgumentException.class,
                () -> RequestHead.encode("GET", "/a\r\nX-Injected: 1", HttpHeaders.EMPTY));
        assertEquals("the request target holds CR (0x0d) at index 2: percent-encode it (a target is ASCII with no "
                + "spaces or line ends)", target.getMessage());
        assertThrows(IllegalArgumentException.class, () -> RequestHead.encode("GET", "/a b", HttpHeaders.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> RequestHead.encode("GET", "/\0", HttpHeaders.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> RequestHead.encode("GET", "/é", HttpHeaders.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> RequestHead.encode("GET", "", HttpHeaders.EMPTY));
        assertThrows(IllegalArgumentException.class, () -> RequestHead.encode("", "/", HttpHeaders.EMPTY));
    }
}
