package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.time.Instant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** {@link ResponseHeads}: the head an {@link HttpServer} writes, without a server. */
class ResponseHeadsTest {

    @Test
    void theDateIsAnImfFixdateWithItsDayInTwoDigits() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", ResponseHeads.imfFixdate(Instant.parse("1994-11-06T08:49:37Z")));
        assertEquals("Mon, 10 Jan 2000 00:00:00 GMT", ResponseHeads.imfFixdate(Instant.parse("2000-01-10T00:00:00Z")));
    }

    @Test
    void aHeadCarriesTheDateAndTheLengthAndClosesWhenAsked() {
        String head = new String(new ResponseHeads().encode(ServerResponse.text(200, "hi"), false, false),
                StandardCharsets.ISO_8859_1);
        assertTrue(head.matches("(?s)HTTP/1\\.1 200 OK\r\nContent-Type: text/plain; charset=utf-8\r\n"
                + "Date: [A-Z][a-z]{2}, \\d\\d [A-Z][a-z]{2} \\d{4} \\d\\d:\\d\\d:\\d\\d GMT\r\n"
                + "Content-Length: 2\r\nConnection: close\r\n\r\n"), head);
    }
}
