package dev.weft.net;

/**
 * An open stream connection: the reader and the writer of one transport, as asyncio's {@code open_connection} returns
 * them. Close it with try-with-resources:
 *
 * <pre>{@code
 * try (StreamConnection c = Streams.openConnection("example.com", 80)) {
 *     c.writer().write("HEAD / HTTP/1.0\r\n\r\n", US_ASCII);
 *     String statusLine = c.reader().readLine(US_ASCII);
 * }
 * }</pre>
 *
 * @param reader what the peer sends
 * @param writer what is sent to the peer; it also closes the connection
 */
public record StreamConnection(StreamReader reader, StreamWriter writer) implements AutoCloseable {

    /**
     * Close the connection once the buffered bytes are sent ({@link StreamWriter#close()}); does not wait for it, as
     * {@link StreamWriter#awaitClosed()} does. Idempotent.
     */
    @Override
    public void close() {
        writer.close();
    }
}
