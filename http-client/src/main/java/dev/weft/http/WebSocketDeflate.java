package dev.weft.http;

import java.io.ByteArrayOutputStream;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

/**
 * permessage-deflate (RFC 7692) on the JDK's {@link Deflater} and {@link Inflater}: a message is compressed as raw
 * DEFLATE ended with a sync flush, whose last four bytes ({@code 00 00 ff ff}) are left off on the wire and put back
 * before inflating. Both sides keep their LZ77 window from one message to the next unless the negotiation said
 * {@code *_no_context_takeover}, in which case that side's stream starts afresh with each message.
 *
 * <h2>Window bits</h2>
 * The JDK's {@code Deflater} always uses a 32 KiB window (15 bits) and has no way to be told otherwise, so the offer
 * is the bare {@code permessage-deflate}: it does not say {@code client_max_window_bits}, which would let the server
 * ask this side for a smaller window it could not honour, and a response that asks for one anyway is refused (§7.1.2.2
 * says a client that did not offer it must fail the connection). A {@code server_max_window_bits} of 8 to 15 in the
 * response is accepted: it bounds the server's window, and a 15-bit inflater reads streams made with any smaller one
 * (python-websockets answers 12 by default).
 *
 * <h2>Bombs</h2>
 * Inflating writes into an {@link Output} that refuses to grow past the message limit, fragment by fragment as they
 * arrive, so a small message that inflates to gigabytes stops at the limit with at most one 16 KiB chunk past it.
 */
final class WebSocketDeflate {
    /** What the handshake offers. */
    static final String OFFER = "permessage-deflate";

    private static final String NAME = "permessage-deflate";
    private static final byte[] TAIL = {0, 0, (byte) 0xFF, (byte) 0xFF};
    /** An empty message compressed: an empty stored block's first byte, the tail being left off (§7.2.3.6). */
    private static final byte[] EMPTY_MESSAGE = {0};

    /** Where inflated bytes go; it throws once they pass the message limit. */
    interface Output {
        void write(byte[] bytes, int offset, int length) throws WebSocketException;
    }

    /** The server's answer cannot be honoured or breaks RFC 7692; the message says why. */
    static final class Refused extends Exception {
        Refused(String message) {
            super(message);
        }
    }

    private final boolean serverNoContextTakeover;
    private final boolean clientNoContextTakeover;
    private final Deflater deflater = new Deflater(Deflater.DEFAULT_COMPRESSION, true);
    private final Inflater inflater = new Inflater(true);
    private final byte[] chunk = new byte[16 * 1024];

    WebSocketDeflate(boolean serverNoContextTakeover, boolean clientNoContextTakeover) {
        this.serverNoContextTakeover = serverNoContextTakeover;
        this.clientNoContextTakeover = clientNoContextTakeover;
    }

    /**
     * The extension the server accepted, from its {@code Sec-WebSocket-Extensions} values, or null if it accepted
     * none.
     *
     * @param offered whether this side offered permessage-deflate
     * @throws Refused for an extension not offered, a parameter unknown, repeated or out of range, or a
     *                 {@code client_max_window_bits} this side did not offer and cannot honour
     */
    static WebSocketDeflate negotiate(List<String> headerValues, boolean offered) throws Refused {
        WebSocketDeflate accepted = null;
        for (String value : headerValues) {
            for (String extension : value.split(",")) {
                if (extension.isBlank()) {
                    continue;
                }
                String[] parts = extension.split(";");
                if (parts.length == 0) { // ";" alone: split drops the empty strings around it
                    throw new Refused("the server accepted an extension with no name: '" + extension + "'");
                }
                String name = parts[0].strip().toLowerCase(Locale.ROOT);
                if (!name.equals(NAME) || !offered) {
                    throw new Refused("the server accepted the extension '" + name + "', which was not offered");
                }
                if (accepted != null) {
                    throw new Refused("the server accepted permessage-deflate twice");
                }
                accepted = fromParameters(parts);
            }
        }
        return accepted;
    }

    private static WebSocketDeflate fromParameters(String[] parts) throws Refused {
        boolean serverNoContext = false, clientNoContext = false;
        Set<String> seen = new HashSet<>();
        for (int i = 1; i < parts.length; i++) {
            String parameter = parts[i].strip();
            int eq = parameter.indexOf('=');
            String name = (eq < 0 ? parameter : parameter.substring(0, eq)).strip().toLowerCase(Locale.ROOT);
            String value = eq < 0 ? null : unquote(parameter.substring(eq + 1).strip());
            if (!seen.add(name)) {
                throw new Refused("permessage-deflate's parameter " + name + " came twice");
            }
            switch (name) {
                case "server_no_context_takeover" -> serverNoContext = noValue(name, value);
                case "client_no_context_takeover" -> clientNoContext = noValue(name, value);
                case "server_max_window_bits" -> {
                    if (value == null || !value.matches("\\d{1,2}") || Integer.parseInt(value) < 8
                            || Integer.parseInt(value) > 15) {
                        throw new Refused("permessage-deflate's server_max_window_bits must be 8 to 15, not "
                                + (value == null ? "empty" : "'" + value + "'"));
                    }
                }
                case "client_max_window_bits" -> throw new Refused("the server asked for client_max_window_bits="
                        + value + ", which was not offered: the JDK's Deflater compresses with a 15-bit window only");
                default -> throw new Refused("permessage-deflate has no parameter '" + name + "'");
            }
        }
        return new WebSocketDeflate(serverNoContext, clientNoContext);
    }

    private static boolean noValue(String name, String value) throws Refused {
        if (value != null) {
            throw new Refused("permessage-deflate's " + name + " takes no value, got '" + value + "'");
        }
        return true;
    }

    private static String unquote(String value) {
        return value.length() >= 2 && value.startsWith("\"") && value.endsWith("\"")
                ? value.substring(1, value.length() - 1) : value;
    }

    boolean serverNoContextTakeover() {
        return serverNoContextTakeover;
    }

    boolean clientNoContextTakeover() {
        return clientNoContextTakeover;
    }

    /** One message's payload, compressed, without the sync flush's last four bytes. */
    byte[] compress(byte[] data, int offset, int length) {
        deflater.setInput(data, offset, length);
        ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 2));
        int n;
        do {
            n = deflater.deflate(chunk, 0, chunk.length, Deflater.SYNC_FLUSH);
            out.write(chunk, 0, n);
        } while (n == chunk.length || !deflater.needsInput());
        if (clientNoContextTakeover) {
            deflater.reset();
        }
        byte[] flushed = out.toByteArray(); // ends with 00 00 ff ff: a sync flush's empty stored block
        if (flushed.length == 0) {
            return EMPTY_MESSAGE; // nothing in, nothing out: the JDK flushes no empty block
        }
        return Arrays.copyOf(flushed, flushed.length - TAIL.length);
    }

    /**
     * Inflate one fragment of a compressed message into {@code out}.
     *
     * @throws DataFormatException if it is not DEFLATE data
     */
    void inflate(byte[] fragment, Output out) throws DataFormatException, WebSocketException {
        inflate(fragment, 0, fragment.length, out);
    }

    /** End a compressed message: its four tail bytes are inflated, and the window dropped if the server said so. */
    void endMessage(Output out) throws DataFormatException, WebSocketException {
        inflate(TAIL, 0, TAIL.length, out);
        if (serverNoContextTakeover || inflater.finished()) {
            inflater.reset(); // a block marked final also ends the server's stream: the next message starts anew
        }
    }

    private void inflate(byte[] input, int offset, int length, Output out)
            throws DataFormatException, WebSocketException {
        if (inflater.finished()) {
            return; // the stream ended inside this message (a final block): what follows is padding
        }
        inflater.setInput(input, offset, length);
        while (!inflater.finished()) {
            int n = inflater.inflate(chunk);
            if (n == 0) {
                break; // it needs the next fragment (a raw stream never asks for a dictionary)
            }
            out.write(chunk, 0, n);
        }
    }

    /** Free the native memory of both streams. */
    void close() {
        deflater.end();
        inflater.end();
    }
}
