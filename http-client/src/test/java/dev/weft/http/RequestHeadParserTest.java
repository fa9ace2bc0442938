package dev.weft.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link RequestHeadParser} on heads as bytes, without a server. */
class RequestHeadParserTest {

    @Test
    void spacesAndTabsAroundAValueAreNotPartOfIt() throws Exception {
        RequestHeadParser.Head head = parse("POST / HTTP/1.1\r\nHost: h\r\nContent-Length: \t 5 \t\r\n\r\n");
        assertEquals("5", head.headers().first("Content-Length"));
    }

    /** Whitespace to String.strip, but control characters to HTTP: a smuggler's way to a Content-Length. */
    @ParameterizedTest
    @ValueSource(strings = {"\u000b", "\u000c", "\u001c", "\u001f"})
    void aControlCharacterAroundAValueIsRefusedNotTrimmed(String control) {
        BadRequestException e = assertThrows(BadRequestException.class, () -> parse(
                "POST / HTTP/1.1\r\nHost: h\r\nContent-Length: " + control + "5" + control + "\r\n\r\n"));
        assertEquals(400, e.status());
    }

    private static RequestHeadParser.Head parse(String head) throws BadRequestException {
        return RequestHeadParser.parse(head.getBytes(StandardCharsets.ISO_8859_1));
    }
}
