package dev.weft.http.peers;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One accepted connection of a {@link RawServer}, as its script sees it: read a request, then write, drip, pause,
 * close or reset — whatever misbehaviour the test needs. Calls chain:
 * {@code c.readRequest().write("HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc").reset()}.
 *
 * <p>Every read waits at most the server's I/O timeout and then throws {@link SocketTimeoutException}, which the server
 * records as a script error. Strings are written as ISO-8859-1, one byte per char, so a test can write any byte.
 */
public final class RawConnection {
    /** The longest request head it reads; a longer one fails the script. */
    public static final int MAX_HEAD = 64 * 1024;

    private final int index;
    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;
    private final Recorder recorder;
    private RecordedRequest lastRequest;

    /** Where a connection files the requests it reads: its server's list. */
    interface Recorder {
        /** Adds {@code request}, or puts it in the place of {@code replaced} (its head read earlier) if not null. */
        void record(RecordedRequest replaced, RecordedRequest request);
    }

    RawConnection(int index, Socket socket, Recorder recorder, Duration ioTimeout) throws IOException {
        this.index = index;
        this.socket = socket;
        this.in = new BufferedInputStream(socket.getInputStream());
        this.out = socket.getOutputStream();
        this.recorder = recorder;
        socket.setSoTimeout(Math.toIntExact(ioTimeout.toMillis()));
        socket.setTcpNoDelay(true); // each write goes out as the script wrote it: drips and partial writes are real
    }

    /** The index of this connection on its server: 0 for the first one accepted. */
    public int index() {
        return index;
    }

    /** The last request this connection read, or null before the first. */
    public RecordedRequest lastRequest() {
        return lastRequest;
    }

    /**
     * Reads one request — its head, then its body as Content-Length or chunked coding says — and records it. For
     * {@code Expect: 100-continue}, read the head, write the 100 response, then read the body:
     * {@code readHead().write("HTTP/1.1 100 Continue\r\n\r\n").readBody()}.
     *
     * @throws EOFException if the client closed first
     */
    public RawConnection readRequest() throws IOException {
        if (!nextRequest()) {
            throw new EOFException("connection #" + index + ": the client closed before it sent a request");
        }
        return this;
    }

    /**
     * Reads one request as {@link #readRequest()} does, or sees the client close first: for scripts that serve a
     * keep-alive connection until the client is done, {@code while (c.nextRequest()) c.write(ok)}.
     *
     * @return true if a request was read, false if the client closed the connection before sending a byte
     */
    public boolean nextRequest() throws IOException {
        if (!readHeadOrEof()) {
            return false;
        }
        readBody();
        return true;
    }

    /** Reads only a request's head (and records it, without a body). @throws EOFException if the client closed */
    public RawConnection readHead() throws IOException {
        if (!readHeadOrEof()) {
            throw new EOFException("connection #" + index + ": the client closed before it sent a request");
        }
        return this;
    }

    /** Reads the body of the request whose head it read last, as its headers say; its record then has the body. */
    public RawConnection readBody() throws IOException {
        RecordedRequest head = lastRequest;
        if (head == null) {
            throw new IllegalStateException("readBody() before readHead(): there is no request to read a body of");
        }
        byte[] body;
        String length = head.header("Content-Length");
        String coding = head.header("Transfer-Encoding");
        if (coding != null && coding.toLowerCase().contains("chunked")) {
            body = readChunked();
        } else if (length != null) {
            int expected = Integer.parseInt(length.strip());
            body = in.readNBytes(expected);
            if (body.length < expected) {
                throw new EOFException("connection #" + index + ": the client closed after " + body.length
                        + " of " + expected + " body bytes");
            }
        } else {
            return this; // no body
        }
        lastRequest = new RecordedRequest(index, head.head(), head.method(), head.target(), head.version(),
                head.headers(), body);
        recorder.record(head, lastRequest);
        return this;
    }

    /** Reads exactly {@code n} bytes (a WebSocket frame's parts, say). @throws EOFException if the client closed first */
    public byte[] readExactly(int n) throws IOException {
        byte[] bytes = in.readNBytes(n);
        if (bytes.length < n) {
            throw new EOFException("connection #" + index + ": the client closed after " + bytes.length + " of "
                    + n + " bytes");
        }
        return bytes;
    }

    /** Writes {@code data} as ISO-8859-1 bytes at once. */
    public RawConnection write(String data) throws IOException {
        return write(data.getBytes(StandardCharsets.ISO_8859_1));
    }

    public RawConnection write(byte[] data) throws IOException {
        out.write(data);
        out.flush();
        return this;
    }

    /** The connection's output, for a script that streams a large body itself rather than build it in memory. */
    public OutputStream output() {
        return out;
    }

    /** Writes {@code data} one byte at a time, pausing {@code perByte} before each: a slow server. */
    public RawConnection drip(String data, Duration perByte) throws IOException, InterruptedException {
        for (byte b : data.getBytes(StandardCharsets.ISO_8859_1)) {
            Thread.sleep(perByte); // the server's behaviour under test, not a test waiting for something
            out.write(b);
            out.flush();
        }
        return this;
    }

    /** Does nothing for {@code duration}: a server that stalls mid-response. */
    public RawConnection pause(Duration duration) throws InterruptedException {
        Thread.sleep(duration);
        return this;
    }

    /** Half-closes: sends FIN after what was written; the client may still send. */
    public RawConnection shutdownOutput() throws IOException {
        socket.shutdownOutput();
        return this;
    }

    /**
     * Waits until the client closes its side (reads to EOF, discarding what comes).
     *
     * @throws SocketTimeoutException if it is still open after the server's I/O timeout
     */
    public RawConnection awaitClientClose() throws IOException {
        while (in.read() != -1) {
            // A client that closes may still send first; what it sends is not under test here.
        }
        return this;
    }

    /**
     * Never answers: holds the connection open, reading and discarding, until the client closes it or the I/O
     * timeout passes, then closes.
     */
    public void hang() throws IOException {
        try {
            awaitClientClose();
        } catch (SocketTimeoutException stillOpen) {
            // Silent for the whole timeout, as asked.
        }
        close();
    }

    /** Whether the script closed or reset this connection. */
    public boolean isClosed() {
        return socket.isClosed();
    }

    /** Closes the connection gracefully (FIN). */
    public void close() throws IOException {
        socket.close();
    }

    /** Aborts the connection: SO_LINGER 0 makes close send RST, so the client sees "connection reset". */
    public void reset() throws IOException {
        socket.setSoLinger(true, 0);
        socket.close();
    }

    /** Reads a head up to CRLFCRLF and records it; false on EOF before its first byte. */
    private boolean readHeadOrEof() throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int matched = 0; // how much of CRLFCRLF the last bytes matched
        while (matched < 4) {
            int b = in.read();
            if (b == -1) {
                if (head.size() == 0) {
                    return false;
                }
                throw new EOFException("connection #" + index + ": the client closed mid-head after "
                        + head.size() + " bytes");
            }
            head.write(b);
            if (head.size() > MAX_HEAD) {
                throw new IOException("connection #" + index + ": request head longer than " + MAX_HEAD + " bytes");
            }
            matched = b == (matched % 2 == 0 ? '\r' : '\n') ? matched + 1 : (b == '\r' ? 1 : 0);
        }
        lastRequest = parse(head.toString(StandardCharsets.ISO_8859_1));
        recorder.record(null, lastRequest);
        return true;
    }

    private RecordedRequest parse(String head) throws IOException {
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ", 3);
        if (requestLine.length != 3) {
            throw new IOException("connection #" + index + ": malformed request line: " + lines[0]);
        }
        List<RecordedRequest.Header> headers = new ArrayList<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                throw new IOException("connection #" + index + ": malformed header line: " + lines[i]);
            }
            String name = lines[i].substring(0, colon);
            headers.add(new RecordedRequest.Header(name, lines[i].substring(colon + 1).strip()));
        }
        return new RecordedRequest(index, head, requestLine[0], requestLine[1], requestLine[2], List.copyOf(headers),
                new byte[0]);
    }

    /** Reads a chunked body to its last chunk and the trailers after it; returns the chunks' data joined. */
    private byte[] readChunked() throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        while (true) {
            String sizeLine = readLine();
            int semicolon = sizeLine.indexOf(';'); // chunk extensions are allowed and ignored
            int size = Integer.parseInt((semicolon < 0 ? sizeLine : sizeLine.substring(0, semicolon)).strip(), 16);
            if (size == 0) {
                while (!readLine().isEmpty()) {
                    // trailer fields: not recorded
                }
                return body.toByteArray();
            }
            byte[] chunk = in.readNBytes(size);
            if (chunk.length < size || !readLine().isEmpty()) {
                throw new EOFException("connection #" + index + ": a chunk of " + size + " bytes was cut short");
            }
            body.writeBytes(chunk);
        }
    }

    private String readLine() throws IOException {
        StringBuilder line = new StringBuilder();
        for (int b = in.read(); b != '\n'; b = in.read()) {
            if (b == -1) {
                throw new EOFException("connection #" + index + ": the client closed mid-line");
            }
            line.append((char) b);
        }
        return line.toString().strip();
    }
}
