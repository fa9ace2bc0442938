package dev.weft.http;

import org.junit.jupiter.api.Test;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static dev.weft.http.ParserFeed.sameForEverySplit;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Framing and the head, per RFC 9112; every input is fed whole and cut every way (see {@link ParserFeed}). */
class ResponseParserTest {

    @Test
    void contentLengthBodyKeepsTheConnection() {
        assertEquals(List.of(
                "Head 200 OK 1.1 [Content-Type: text/plain, Content-Length: 5]",
                "Body hello",
                "End [] keepAlive=true"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: 5\r\n\r\nhello",
                        false, "GET"));
    }

    @Test
    void responsesFollowOneAnotherOnOneConnection() {
        assertEquals(List.of(
                "Head 200 OK 1.1 [Content-Length: 3]", "Body abc", "End [] keepAlive=true",
                "Head 404 Not Found 1.1 [Content-Length: 0]", "End [] keepAlive=true",
                "Leftover HTTP/1.1 ..."),
                sameForEverySplit("HTTP/1.1 200 OK\r\nContent-Length: 3\r\n\r\nabc"
                        + "HTTP/1.1 404 Not Found\r\nContent-Length: 0\r\n\r\nHTTP/1.1 ...", false, "GET", "GET"));
    }

    @Test
    void connectionCloseAndHttp10DecideReuse() {
        assertEquals("End [] keepAlive=false", sameForEverySplit(
                "HTTP/1.1 200 OK\r\nConnection: keep-alive, Close\r\nContent-Length: 0\r\n\r\n", false, "GET").get(1));
        assertEquals("End [] keepAlive=false", sameForEverySplit(
                "HTTP/1.0 200 OK\r\nContent-Length: 0\r\n\r\n", false, "GET").get(1));
        assertEquals(List.of("Head 200 OK 1.0 [Connection: Keep-Alive, Content-Length: 1]", "Body x",
                "End [] keepAlive=true"), sameForEverySplit(
                "HTTP/1.0 200 OK\r\nConnection: Keep-Alive\r\nContent-Length: 1\r\n\r\nx", false, "GET"));
    }

    @Test
    void theReasonMayBeEmptyOrMissingAndLinesMayEndInABareLf() {
        assertEquals("Head 200  1.1 [Content-Length: 0]",
                sameForEverySplit("HTTP/1.1 200 \r\nContent-Length: 0\r\n\r\n", false, "GET").get(0));
        assertEquals("Head 500  1.1 [Content-Length: 0]",
                sameForEverySplit("HTTP/1.1 500\nContent-Length: 0\n\n", false, "GET").get(0));
        assertEquals("Head 200 Très bien 1.1 []",
                sameForEverySplit("HTTP/1.1 200 Très bien\r\n\r\n", true, "GET").get(0));
    }

    @Test
    void valuesLoseTheirWhitespaceAndObsFoldBecomesASpace() {
        assertEquals("Head 200 OK 1.1 [X-A: one, X-Empty: , X-Folded: first second third, Content-Length: 0]",
                sameForEverySplit("HTTP/1.1 200 OK\r\nX-A: \t one \t\r\nX-Empty:\r\nX-Folded: first\r\n"
                        + "  second\r\n\tthird \r\nContent-Length: 0\r\n\r\n", false, "GET").get(0));
    }

    @Test
    void emptyLinesBeforeAStatusLineAreSkipped() {
        // A server that sent a CRLF too many after the last body.
        assertEquals(List.of("Head 204 No Content 1.1 []", "End [] keepAlive=true"),
                sameForEverySplit("\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n", false, "DELETE"));
    }

    @Test
    void headAndNoContentAndNotModifiedHaveNoBody() {
        assertEquals(List.of("Head 200 OK 1.1 [Content-Length: 1000]", "End [] keepAlive=true",
                        "Leftover HTTP"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\nHTTP", false, "HEAD"));
        assertEquals(List.of("Head 204 No Content 1.1 [Content-Length: 0]", "End [] keepAlive=true"),
                sameForEverySplit("HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n", false, "POST"));
        // A 204 that says a body follows (RFC 9110 §8.6 and RFC 9112 §6.1 forbid it) has none, and its connection is
        // not kept: the bytes it announced, coming late, would be read as the next request's response.
        assertEquals(List.of("Head 204 No Content 1.1 [Content-Length: 7]", "End [] keepAlive=false"),
                sameForEverySplit("HTTP/1.1 204 No Content\r\nContent-Length: 7\r\n\r\n", false, "POST"));
        assertEquals(List.of("Head 204 No Content 1.1 [Transfer-Encoding: chunked]", "End [] keepAlive=false"),
                sameForEverySplit("HTTP/1.1 204 No Content\r\nTransfer-Encoding: chunked\r\n\r\n", false, "GET"));
        assertEquals(List.of("Head 304 Not Modified 1.1 [Transfer-Encoding: chunked]", "End [] keepAlive=true"),
                sameForEverySplit("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: chunked\r\n\r\n", false, "GET"));
        // Their framing fields describe the body a GET would get, which may be one the client could not read itself:
        // a HEAD or a 304 is not refused for it (RFC 9112 §6.1 lets a server send them).
        assertEquals(List.of("Head 200 OK 1.1 [Transfer-Encoding: gzip, chunked]", "End [] keepAlive=true"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", false, "HEAD"));
        assertEquals(List.of("Head 304 Not Modified 1.1 [Transfer-Encoding: gzip, chunked]", "End [] keepAlive=true"),
                sameForEverySplit("HTTP/1.1 304 Not Modified\r\nTransfer-Encoding: gzip, chunked\r\n\r\n", false,
                        "GET"));
    }

    @Test
    void interimResponsesComeBeforeTheFinalOne() {
        assertEquals(List.of(
                "Head 100 Continue 1.1 []",
                "Head 103 Early Hints 1.1 [Link: </a.css>; rel=preload, Link: </b.js>; rel=preload]",
                "Head 201 Created 1.1 [Content-Length: 2]", "Body ok", "End [] keepAlive=true"),
                sameForEverySplit("HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 103 Early Hints\r\n"
                        + "Link: </a.css>; rel=preload\r\nLink: </b.js>; rel=preload\r\n\r\n"
                        + "HTTP/1.1 201 Created\r\nContent-Length: 2\r\n\r\nok", false, "POST"));
    }

    @Test
    void interimResponsesAreHeldTogetherToTheHeaderSectionLimit() {
        var limits = new ResponseLimits(8192, 100, 100, -1, 100);
        String interim = "HTTP/1.1 100 Continue\r\n\r\n"; // 25 bytes: four fit in 100, the fifth does not
        List<String> events = sameForEverySplit(limits, interim.repeat(6) + "HTTP/1.1 200 OK\r\n\r\n", true, "GET");
        assertEquals(List.of("Head 100 Continue 1.1 []", "Head 100 Continue 1.1 []", "Head 100 Continue 1.1 []",
                "Head 100 Continue 1.1 []", "Error the interim (1xx) responses before the final one are larger than "
                        + "100 bytes together (ResponseLimits.maxHeaderBytes bounds them), after 5 of them"), events);
        assertEquals("Head 200 OK 1.1 []", sameForEverySplit(limits, interim.repeat(4) + "HTTP/1.1 200 OK\r\n\r\n",
                true, "GET").get(4), "four fit");
    }

    @Test
    void switchingProtocolsEndsTheHttpSide() {
        assertEquals(List.of("Head 101 Switching Protocols 1.1 [Upgrade: websocket, Connection: Upgrade]",
                        "End [] keepAlive=false", "Leftover \u0081\u0002hi"),
                sameForEverySplit("HTTP/1.1 101 Switching Protocols\r\nUpgrade: websocket\r\nConnection: Upgrade"
                        + "\r\n\r\n\u0081\u0002hi", false, "GET"));
        var parser = new ResponseParser(ResponseLimits.DEFAULTS);
        parser.begin("GET");
        ByteBuffer in = latin1("HTTP/1.1 101 Switching Protocols\r\n\r\n");
        assertInstanceOf(ResponseEvent.Head.class, next(parser, in));
        assertInstanceOf(ResponseEvent.End.class, next(parser, in));
        assertThrows(IllegalStateException.class, () -> parser.begin("GET"));
    }

    @Test
    void aSuccessfulConnectMakesATunnel() {
        assertEquals(List.of("Head 200 Connection Established 1.1 []", "End [] keepAlive=false",
                        "Leftover \u0016\u0003\u0001"),
                sameForEverySplit("HTTP/1.1 200 Connection Established\r\n\r\n\u0016\u0003\u0001", false,
                        "CONNECT"));
        // A client ignores the framing fields of a successful CONNECT's answer (RFC 9110 §9.3.6): what follows is the
        // tunnel's, whatever a proxy wrote there.
        assertEquals(List.of("Head 200 OK 1.1 [Content-Length: x, Transfer-Encoding: gzip]", "End [] keepAlive=false",
                        "Leftover \u0016"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nContent-Length: x\r\nTransfer-Encoding: gzip\r\n\r\n\u0016",
                        false, "CONNECT"));
    }

    @Test
    void chunkedBodiesWithExtensionsAndTrailers() {
        assertEquals(List.of("Head 200 OK 1.1 [Transfer-Encoding: chunked]",
                        "Body hello, chunked world",
                        "End [Expires: never, X-Sum: 42] keepAlive=true"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "5\r\nhello\r\n2;name=value\r\n, \r\nA \t; a=b;c\r\nchunked wo\r\n003\r\nrld\r\n"
                        + "0\r\nExpires: never\r\nX-Sum: 42\r\n\r\n", false, "GET"));
        assertEquals(List.of("Head 200 OK 1.1 [Transfer-Encoding: chunked]", "Body 0123456789abcdef_",
                        "End [] keepAlive=true"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "1F\r\n0123456789abcdef_\r\n0\r\n\r\n".replace("1F", "11"), false, "GET"));
    }

    @Test
    void chunkedWinsOverContentLengthButTheConnectionIsNotReused() {
        assertEquals(List.of("Head 200 OK 1.1 [Content-Length: 100, Transfer-Encoding: chunked]", "Body abc",
                        "End [] keepAlive=false"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nContent-Length: 100\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3\r\nabc\r\n0\r\n\r\n", false, "GET"));
        assertEquals("End [] keepAlive=false", sameForEverySplit("HTTP/1.0 200 OK\r\nConnection: keep-alive\r\n"
                + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\n", false, "GET").get(1));
    }

    @Test
    void repeatedEqualContentLengthsAreOneLength() {
        assertEquals(List.of("Head 200 OK 1.1 [Content-Length: 3, 3, Content-Length: 3]", "Body abc",
                        "End [] keepAlive=true"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nContent-Length: 3, 3\r\nContent-Length: 3\r\n\r\nabc", false,
                        "GET"));
    }

    @Test
    void withoutLengthTheBodyRunsToTheClose() {
        assertEquals(List.of("Head 200 OK 1.0 []", "Body all of it\r\n\r\n", "End [] keepAlive=false (at close)"),
                sameForEverySplit("HTTP/1.0 200 OK\r\n\r\nall of it\r\n\r\n", true, "GET"));
    }

    @Test
    void bodySlicesShareTheInputBuffer() throws Exception {
        var parser = new ResponseParser(ResponseLimits.DEFAULTS);
        parser.begin("GET");
        ByteBuffer in = latin1("HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
        assertInstanceOf(ResponseEvent.Head.class, parser.next(in));
        var chunk = (ResponseEvent.BodyChunk) parser.next(in);
        assertSame(in.array(), chunk.data().array());
        assertEquals("hello", StandardCharsets.ISO_8859_1.decode(chunk.data()).toString());
        assertInstanceOf(ResponseEvent.End.class, parser.next(in));
        assertTrue(parser.keepAlive());
        assertFalse(in.hasRemaining());
    }

    @Test
    void aBeginBeforeTheEndIsAProgramError() throws Exception {
        var parser = new ResponseParser(ResponseLimits.DEFAULTS);
        parser.begin("GET");
        assertNull(parser.next(latin1("HTTP/1.1 200 OK\r\n")));
        assertFalse(parser.keepAlive());
        assertThrows(IllegalStateException.class, () -> parser.begin("GET"));
    }

    // ---- limits ----

    @Test
    void bodyLimits() {
        var limits = new ResponseLimits(8192, 65536, 100, 4, 100);
        assertEquals(List.of("Error the response's Content-Length 5 is over 4 bytes (ResponseLimits.maxBodyBytes)"),
                sameForEverySplit(limits, "HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello", false, "GET"));
        assertEquals(List.of("Head 200 OK 1.0 []", "Body hell",
                        "Error the response body is longer than 4 bytes (ResponseLimits.maxBodyBytes)"),
                sameForEverySplit(limits, "HTTP/1.0 200 OK\r\n\r\nhello", true, "GET"));
        assertEquals(List.of("Head 200 OK 1.1 [Transfer-Encoding: chunked]", "Body abc",
                        "Error the response body is longer than 4 bytes (ResponseLimits.maxBodyBytes)"),
                sameForEverySplit(limits, "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n"
                        + "3\r\nabc\r\n2\r\nde\r\n0\r\n\r\n", false, "GET"));
    }

    @Test
    void anOverLongStatusLine() {
        var limits = new ResponseLimits(64, 65536, 100, -1, 100);
        String ok = "HTTP/1.1 200 " + "x".repeat(64 - 13);
        assertEquals("Head 200 " + "x".repeat(51) + " 1.1 []",
                sameForEverySplit(limits, ok + "\r\n\r\n", true, "GET").get(0));
        assertEquals(List.of("Error the status line is longer than 64 bytes (ResponseLimits.maxStatusLineBytes)"),
                sameForEverySplit(limits, ok + "x\r\n\r\n", true, "GET"));
        assertEquals(List.of("Error the status line is longer than 64 bytes (ResponseLimits.maxStatusLineBytes)"),
                sameForEverySplit(limits, "HTTP/1.1 200 " + "x".repeat(1000), true, "GET"));
    }

    @Test
    void tooManyHeaders() {
        var limits = new ResponseLimits(8192, 65536, 3, -1, 100);
        String three = "HTTP/1.1 200 OK\r\nA: 1\r\nB: 2\r\nContent-Length: 0\r\n";
        assertEquals("Head 200 OK 1.1 [A: 1, B: 2, Content-Length: 0]",
                sameForEverySplit(limits, three + "\r\n", false, "GET").get(0));
        assertEquals(List.of("Error the response has more than 3 header fields (ResponseLimits.maxHeaders)"),
                sameForEverySplit(limits, three + "D: 4\r\n\r\n", false, "GET"));
        assertEquals(List.of("Error the response has more than 100 header fields (ResponseLimits.maxHeaders)"),
                sameForEverySplit("HTTP/1.1 200 OK\r\n" + "X: y\r\n".repeat(101) + "\r\n", false, "GET"));
    }

    @Test
    void aHeaderSectionTooBig() {
        var limits = new ResponseLimits(8192, 40, 100, -1, 100);
        // "A: 1234567890\r\n" is 15 bytes: two of them, "C: 12\r\n" and the empty line make 39; with "C: 1234"
        // the fields fit (40) but the empty line does not.
        String fits = "HTTP/1.1 200 OK\r\nA: 1234567890\r\nB: 1234567890\r\nC: 12\r\n\r\n";
        assertEquals("Head 200 OK 1.1 [A: 1234567890, B: 1234567890, C: 12]",
                sameForEverySplit(limits, fits, true, "GET").get(0));
        assertEquals(List.of("Error the header section is larger than 40 bytes (ResponseLimits.maxHeaderBytes), "
                        + "after 3 header fields"),
                sameForEverySplit(limits, fits.replace("C: 12", "C: 1234"), true, "GET"));
        assertEquals(List.of("Error the header section is larger than 65536 bytes (ResponseLimits.maxHeaderBytes), "
                        + "after 1 header fields"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nA: b\r\nX: " + "y".repeat(70_000), true, "GET"));
    }

    // ---- malformed responses ----

    @Test
    void garbageStatusLines() {
        for (String garbage : List.of("SSH-2.0-OpenSSH_9.6\r\n", "HTTP/2 200 OK\r\n\r\n", "ICY 200 OK\r\n\r\n",
                "HTTP/1.1 2000 OK\r\n\r\n", "HTTP/1.1 20x OK\r\n\r\n", "HTTP/1.1 099 Low\r\n\r\n")) {
            List<String> lines = sameForEverySplit(garbage, true, "GET");
            assertEquals(1, lines.size(), garbage);
            assertTrue(lines.get(0).startsWith("Error malformed status line \""), lines.get(0));
        }
        assertEquals(List.of("Error malformed status line \"\\x00\\x01\\x02 binary\": expected HTTP/1.x, a space"
                        + " and a 3-digit status code, as in \"HTTP/1.1 200 OK\""),
                sameForEverySplit("\0\1\2 binary\n", true, "GET"));
    }

    @Test
    void malformedFieldLines() {
        assertEquals(List.of("Error malformed header field line \"Content-Length : 5\": its name holds a space "
                        + "(no whitespace is allowed before the colon)"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nContent-Length : 5\r\n\r\nhello", false, "GET"));
        assertEquals(List.of("Error malformed header field line \"no colon here\": its name holds a space "
                        + "(no whitespace is allowed before the colon)"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nno colon here\r\n\r\n", false, "GET"));
        assertEquals(List.of("Error malformed header field line \"NoColon\": it has no colon"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nNoColon\r\n\r\n", false, "GET"));
        assertEquals(List.of("Error malformed header field line \": x\": its name is empty"),
                sameForEverySplit("HTTP/1.1 200 OK\r\n: x\r\n\r\n", false, "GET"));
        assertEquals(List.of("Error malformed header field line \"X: a\\x00b\": its value holds NUL (0x00)"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nX: a\0b\r\n\r\n", false, "GET"));
        assertEquals(List.of("Error malformed header field line \"X: a\\x0db\": its value holds CR (0x0d)"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n", false, "GET"));
        assertEquals(List.of("Error malformed header field line \" folded\": it starts with whitespace (obs-fold) "
                        + "but no field comes before it"),
                sameForEverySplit("HTTP/1.1 200 OK\r\n folded\r\n\r\n", false, "GET"));
    }

    @Test
    void badContentLengths() {
        assertEquals(List.of("Error conflicting Content-Length values 5 and 6 (\"5, 6\"): the body's length is "
                        + "unknown"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nContent-Length: 5\r\nContent-Length: 6\r\n\r\nhello!", false,
                        "GET"));
        for (String bad : List.of("-1", "0x10", "1e3", "", "+5", "99999999999999999999")) {
            assertEquals(List.of("Error malformed Content-Length \"" + bad
                            + "\": expected a decimal number of at most 18 digits"),
                    sameForEverySplit("HTTP/1.1 200 OK\r\nContent-Length: " + bad + "\r\n\r\n", false, "GET"));
        }
    }

    @Test
    void unsupportedTransferCodings() {
        for (String te : List.of("gzip", "gzip, chunked", "chunked, chunked", "chunked, gzip")) {
            assertEquals(List.of("Error unsupported Transfer-Encoding \"" + te
                            + "\": the client reads only \"chunked\", once"),
                    sameForEverySplit("HTTP/1.1 200 OK\r\nTransfer-Encoding: " + te + "\r\n\r\n", true, "GET"));
        }
    }

    @Test
    void badChunks() {
        String head = "HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n";
        assertEquals(List.of("Head 200 OK 1.1 [Transfer-Encoding: chunked]", "Body abc",
                        "Error malformed chunked body: bad chunk-size line \"zz\" after 3 body bytes; expected hex "
                                + "digits, as in \"1a\" or \"1a;ext=x\""),
                sameForEverySplit(head + "3\r\nabc\r\nzz\r\n", true, "GET"));
        assertEquals("Error malformed chunked body: bad chunk-size line \"\" after 0 body bytes; expected hex digits,"
                + " as in \"1a\" or \"1a;ext=x\"", sameForEverySplit(head + "\r\n", true, "GET").get(1));
        assertEquals("Error malformed chunked body: bad chunk-size line \"-1\" after 0 body bytes; expected hex "
                + "digits, as in \"1a\" or \"1a;ext=x\"", sameForEverySplit(head + "-1\r\n", true, "GET").get(1));
        assertEquals("Error malformed chunked body: the chunk size \"10000000000000000\" overflows 63 bits, after 0 "
                + "body bytes", sameForEverySplit(head + "10000000000000000\r\n", true, "GET").get(1));
        assertEquals("Error malformed chunked body: the chunk size \"8000000000000000\" overflows 63 bits, after 0 "
                + "body bytes", sameForEverySplit(head + "8000000000000000\r\n", true, "GET").get(1));
        assertEquals(List.of("Head 200 OK 1.1 [Transfer-Encoding: chunked]", "Body abc",
                        "Error malformed chunked body: expected CRLF after a chunk's data, but got 'd' after 3 body "
                                + "bytes; the chunk is longer than its size line says"),
                sameForEverySplit(head + "3\r\nabcdef\r\n0\r\n\r\n", true, "GET"));
        assertEquals("Error malformed chunked body: expected CRLF after a chunk's data, but got 'x' after 3 body "
                + "bytes; the chunk is longer than its size line says",
                sameForEverySplit(head + "3\r\nabc\rx\n0\r\n\r\n", true, "GET").get(2));
    }

    // ---- the peer closed early ----

    @Test
    void truncatedResponsesNameWhatWasMissing() {
        assertEquals(List.of("Head 200 OK 1.1 [Content-Length: 10]", "Body hello",
                        "Error the connection closed after 5 of 10 body bytes (Content-Length)"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nhello", true, "GET"));
        assertEquals(List.of("Head 200 OK 1.1 [Transfer-Encoding: chunked]", "Body hel",
                        "Error the connection closed in a chunked body, after 3 body bytes, before its last chunk"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhel", true, "GET"));
        assertEquals(List.of("Head 200 OK 1.1 [Transfer-Encoding: chunked]",
                        "Error the connection closed in the trailers of a chunked body, after 1 trailer fields"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n0\r\nA: b\r\n", true,
                        "GET"));
        assertEquals(List.of("Error the connection closed in the header section, after 1 header fields"),
                sameForEverySplit("HTTP/1.1 200 OK\r\nA: b\r\nC: d", true, "GET"));
        assertEquals(List.of("Error the connection closed in the status line, after 8 bytes"),
                sameForEverySplit("HTTP/1.1", true, "GET"));
        assertEquals(List.of("Head 100 Continue 1.1 []",
                        "Error the connection closed after the interim response 100 Continue but before the final "
                                + "response"),
                sameForEverySplit("HTTP/1.1 100 Continue\r\n\r\n", true, "POST"));
    }

    @Test
    void aConnectionClosedBeforeAnyByteIsTold() throws Exception {
        var parser = new ResponseParser(ResponseLimits.DEFAULTS);
        parser.begin("GET");
        assertNull(parser.next(ByteBuffer.allocate(0)));
        assertFalse(parser.responseStarted());
        var e = assertThrows(HttpProtocolException.class, parser::endOfInput);
        assertTrue(e.getMessage().startsWith("the connection closed before the response to GET began"),
                e.getMessage());
        var again = assertThrows(IllegalStateException.class, () -> parser.next(latin1("HTTP/1.1 200 OK\r\n")));
        assertTrue(again.getMessage().contains("the parser failed before"), again.getMessage());
    }

    private static ResponseEvent next(ResponseParser parser, ByteBuffer in) {
        try {
            return parser.next(in);
        } catch (HttpProtocolException e) {
            throw new AssertionError(e);
        }
    }

    private static ByteBuffer latin1(String s) {
        return ByteBuffer.wrap(s.getBytes(StandardCharsets.ISO_8859_1));
    }
}
