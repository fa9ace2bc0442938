package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** {@link ServerRequest}: the path and query of each form of request target (RFC 9112 §3.2). */
class ServerRequestTest {

    @Test
    void eachFormOfTargetHasItsPathAndQuery() {
        List<String> seen = new ArrayList<>();
        for (String target : List.of("/flags/cn.png?x=1", "/", "http://127.0.0.1:8001/flags/cn.png?x=1",
                "HTTP://h/a/b", "http://h", "http://h?q=1", "http://h:80/?q=a/b", "*", "example.com:443")) {
            ServerRequest request = new ServerRequest("GET", target, "HTTP/1.1", HttpHeaders.EMPTY, new byte[0], "c");
            seen.add(request.path() + " " + request.query());
        }
        assertEquals(List.of("/flags/cn.png x=1", "/ null", "/flags/cn.png x=1", "/a/b null", "/ null", "/ q=1",
                "/ q=a/b", "* null", "example.com:443 null"), seen);
    }
}
