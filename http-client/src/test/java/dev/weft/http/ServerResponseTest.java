package dev.weft.http;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

/** {@link ServerResponse}: what a handler may answer. */
class ServerResponseTest {

    /** Sent, the bytes after a head without Content-Length would be the keep-alive client's next answer. */
    @ParameterizedTest
    @ValueSource(ints = {204, 304})
    void anAnswerWithoutABodyCannotCarryOne(int status) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> ServerResponse.text(status, "HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n"));
        assertEquals("a " + status + " answer has no body; this one has 38 bytes", e.getMessage());
        assertEquals(0, ServerResponse.empty(status).body().length);
    }

    @Test
    void theServerFramesTheBody() {
        assertThrows(IllegalArgumentException.class,
                () -> new ServerResponse(200, HttpHeaders.of("Content-Length", "3"), new byte[3]));
    }
}
