package dev.weft.http;

import java.nio.charset.StandardCharsets;

/**
 * One whole message received on a {@link WebSocket}: its fragments joined, inflated if it was compressed, its text
 * checked to be UTF-8. Pings and pongs are not messages: the socket answers pings itself.
 */
public sealed interface WebSocketMessage {

    /** A text message (opcode 1). */
    record Text(String text) implements WebSocketMessage {
        @Override
        public String toString() {
            return text.length() <= 60 ? "Text[" + text + "]" : "Text[" + text.substring(0, 60) + "… ("
                    + text.length() + " chars)]";
        }
    }

    /** A binary message (opcode 2); the array is the receiver's own. */
    record Binary(byte[] bytes) implements WebSocketMessage {
        @Override
        public String toString() {
            return "Binary[" + bytes.length + " bytes]";
        }
    }

    /** The message as text: a text message's own, a binary one's bytes decoded as UTF-8. */
    default String asText() {
        return switch (this) {
            case Text t -> t.text();
            case Binary b -> new String(b.bytes(), StandardCharsets.UTF_8);
        };
    }

    /** The message as bytes: a binary message's own, a text one's in UTF-8. */
    default byte[] asBytes() {
        return switch (this) {
            case Text t -> t.text().getBytes(StandardCharsets.UTF_8);
            case Binary b -> b.bytes();
        };
    }
}
