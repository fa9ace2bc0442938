package dev.weft.net;

import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.BusyResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Spliterator;
import java.util.Spliterators;
import java.util.concurrent.CancellationException;
import java.util.stream.Stream;
import java.util.stream.StreamSupport;

/**
 * The reading half of a stream connection, for tasks, as asyncio's {@code StreamReader}: the bytes the transport
 * delivers are copied into a buffer, and the read methods take them from there, suspending the task while the buffer
 * cannot answer yet.
 *
 * <pre>{@code
 * String line;
 * while ((line = reader.readLine()) != null) {   // UTF-8, without its "\n" or "\r\n"; null at the end
 *     writer.write(line.toUpperCase() + "\n");
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Text.</b> {@link #readLine()} and {@link #lines()} read lines as {@link java.io.BufferedReader} does: a
 *       line ends at {@code "\n"} or {@code "\r\n"}, which is not returned, the last line needs no terminator, and
 *       the end of the stream is {@code null} (or the end of the {@link Stream}). They decode UTF-8, or the charset
 *       given, replacing malformed input with U+FFFD. {@link #readLineBytes()} is asyncio's {@code readline}: the
 *       bytes with their {@code '\n'}, an empty array at the end.</li>
 *   <li><b>End of stream.</b> Once the peer has closed its side and the buffer is drained, {@link #read} returns an
 *       empty array and {@link #readExactly} and {@link #readUntil} throw {@link IncompleteReadException} (an
 *       {@link java.io.EOFException}) with the bytes that were left.</li>
 *   <li><b>A broken connection</b> (reset by the peer, failed by the OS): reads still get the bytes already buffered;
 *       the read that needs more throws {@link BrokenResourceException}, and so does every one after it, each with
 *       the same message on every backend ("connection reset by peer 127.0.0.1:40312") and the backend's exception as
 *       its cause. Every I/O failure of a read is an {@link IOException}.</li>
 *   <li><b>Backpressure.</b> The buffer (with the chunk {@link #readChunk} lent, until the next read) holds up to twice
 *       the {@link #limit()}; past that the reader pauses the transport's reading, so a slow reader slows its peer
 *       down through TCP instead of growing without bound, and resumes it once reads bring the buffer down to the
 *       limit (asyncio's marks). A read that needs more than is buffered (a large {@link #readExactly}) resumes
 *       reading meanwhile, so the buffer then grows to what it asked.
 *   <li><b>Memory of a stalled reader.</b> When the reader pauses its transport it keeps its bytes in an array of
 *       exactly their size: at most twice the limit plus the one delivery that crossed it (one read of the transport:
 *       up to 256 KiB on nio and vthreads, 64 KiB on epoll and io_uring), so at most 384 KiB with the default limit.
 *       Nothing arrives while it is paused, so that is all a peer that sends and never reads our answers makes it
 *       hold, however long it stays. A reader that lends keeps the deliveries themselves instead of an array, to the
 *       same bound in bytes.
 *   <li><b>Cancellation</b> is safe: a read that is cancelled while it waits has consumed nothing.</li>
 *   <li><b>Without copies.</b> {@link #readChunk(int)} lends the bytes as the transport delivered them, as a
 *       read-only view valid until the next read, instead of copying them twice as {@link #read(int)} does; a
 *       {@link StreamWriter} given such a view back writes it without a copy too. The cheap path for moving bytes
 *       (an echo, a proxy, a parser that works on {@link ByteBuffer}s).</li>
 *   <li><b>One reader at a time.</b> A read while another task waits in one throws {@link BusyResourceException}:
 *       two tasks taking bytes from one stream would each get arbitrary pieces of it.</li>
 * </ul>
 *
 * <p>Confined to its loop. Reads that have to wait must run in a task of the loop; on the loop thread outside a task
 * they throw {@link BlockingOnLoopException}.
 */
public final class StreamReader {
    /** The default {@link #limit()}: 64 KiB, as asyncio's. */
    public static final int DEFAULT_LIMIT = 64 * 1024;

    private static final byte[] EMPTY = new byte[0];
    private static final ByteBuffer NO_BYTES = ByteBuffer.allocate(0).asReadOnlyBuffer();
    private static final byte[] NEWLINE = {'\n'};
    private static final int INITIAL_CAPACITY = 8 * 1024;

    private final EventLoop loop;
    private final int limit;
    private byte[] buffer = EMPTY;
    private int head; // the unread bytes are buffer[head, tail)
    private int tail;
    private final ArrayDeque<ReadLease> kept = new ArrayDeque<>(); // delivered buffers kept whole, after buffer's bytes
    private int keptBytes;
    private ReadLease lent; // behind the view readChunk returned last: released at the next read
    private int lentBytes;
    private boolean lending; // the last read was readChunk: keep what arrives instead of copying it
    private StreamTransport transport;
    private String peer = "an unconnected stream";
    private boolean paused;
    private boolean eof;
    private Throwable failure;
    private Future<Void> waiter; // the one read waiting for data, with its task and operation for messages
    private int waiterWants; // how many bytes buffered let that read return
    private Task<?> waitingTask;
    private String waitingIn;

    StreamReader(EventLoop loop, int limit) {
        if (limit <= 0) {
            throw new IllegalArgumentException("the limit of a StreamReader must be positive: " + limit);
        }
        this.loop = loop;
        this.limit = limit;
    }

    // ---- reading

    /**
     * Read up to {@code n} bytes: what is buffered, or if nothing is, what arrives next. Returns an empty array at the
     * end of the stream (or if {@code n} is 0).
     *
     * <p>The bytes are copied twice on their way here (into the reader's buffer, then into the array returned). To move
     * bytes on without copying them, use {@link #readChunk(int)}, which lends them instead.
     *
     * @throws BrokenResourceException  if the connection broke and nothing is buffered
     * @throws BusyResourceException    if another task is waiting to read
     * @throws CancellationException    if the task is cancelled while waiting; nothing is consumed
     * @throws IllegalArgumentException if {@code n} is negative
     */
    public byte[] read(int n) throws IOException {
        checkCount(n);
        enter("read");
        if (n == 0) {
            return EMPTY;
        }
        while (size() == 0) {
            if (eof) {
                return EMPTY;
            }
            throwIfBroken();
            waitForData("read", 1);
        }
        return take(Math.min(n, size()));
    }

    /**
     * The cheap path: read up to {@code max} bytes as {@link #read(int)} does, but lent, not copied — a read-only view
     * of the bytes as the transport delivered them: the transport's own read buffer on every backend here, for a
     * delivery that is not tiny beside that buffer; otherwise, and over TLS, a copy made as they arrived. Write it to a
     * {@link StreamWriter} of this loop and it is sent without a copy as well:
     *
     * <pre>{@code
     * ByteBuffer chunk;
     * while ((chunk = reader.readChunk(64 * 1024)).hasRemaining()) {   // empty at the end of the stream
     *     writer.write(chunk);                                          // an echo: no copy on either side
     *     writer.drain();
     * }
     * }</pre>
     *
     * <p><b>The view is valid until the next read on this reader</b> (of any kind, even one that fails) <b>or until the
     * connection is lost</b>, whichever comes first; after that the view is empty where it viewed the transport's own
     * memory, so it reads and writes nothing, and a slice or duplicate made of it earlier may
     * show other bytes. Writing it (or a slice or duplicate of it) to a writer of this loop before then is safe: the
     * writer keeps what it needs. Copy what must live longer, or cross to another loop. A chunk is never more than one
     * delivery of the transport, so it may hold fewer bytes than are buffered.
     *
     * <p>The bytes it lends count against the {@link #limit()} until that next read, as buffered ones do.
     *
     * @return up to {@code max} bytes, empty at the end of the stream (or if {@code max} is 0)
     * @throws BrokenResourceException  if the connection broke and nothing is buffered
     * @throws BusyResourceException    if another task is waiting to read
     * @throws CancellationException    if the task is cancelled while waiting; nothing is consumed
     * @throws IllegalArgumentException if {@code max} is negative
     */
    public ByteBuffer readChunk(int max) throws IOException {
        checkCount(max);
        enter("readChunk", true);
        if (max == 0) {
            return NO_BYTES;
        }
        while (buffered() == 0) {
            if (eof) {
                return NO_BYTES;
            }
            throwIfBroken();
            waitForData("readChunk", 1);
        }
        if (size() > 0) { // copied before lending began; they come first
            return ByteBuffer.wrap(take(Math.min(max, size()))).asReadOnlyBuffer();
        }
        ReadLease first = kept.peek();
        int available = first.data().remaining();
        if (max >= available) {
            kept.poll();
            lent = first;
        } else {
            lent = first.split(max);
        }
        lentBytes = Math.min(max, available);
        keptBytes -= lentBytes;
        balance();
        return lent.data();
    }

    /**
     * Read until the end of the stream and return everything. The buffer grows past the limit to hold it all.
     *
     * @throws BrokenResourceException if the connection broke first; the bytes stay buffered
     * @throws BusyResourceException   if another task is waiting to read
     */
    public byte[] readAll() throws IOException {
        enter("readAll");
        while (!eof) {
            throwIfBroken();
            waitForData("readAll", Integer.MAX_VALUE);
        }
        return take(size());
    }

    /**
     * Read until the end of the stream and decode everything in the charset (malformed input becomes U+FFFD).
     *
     * @throws BrokenResourceException if the connection broke first; the bytes stay buffered
     * @throws BusyResourceException   if another task is waiting to read
     */
    public String readAll(Charset charset) throws IOException {
        return new String(readAll(), charset);
    }

    /**
     * Read exactly {@code n} bytes.
     *
     * @throws IncompleteReadException if the stream ends first; it carries (and consumes) the bytes that were left
     * @throws BrokenResourceException if the connection broke first; the bytes stay buffered
     * @throws BusyResourceException   if another task is waiting to read
     */
    public byte[] readExactly(int n) throws IOException {
        checkCount(n);
        enter("readExactly");
        while (size() < n) {
            if (eof) {
                int got = size();
                throw new IncompleteReadException("the stream from " + peer + " ended after " + got + " of the "
                        + n + " bytes readExactly asked for", take(got), n);
            }
            throwIfBroken();
            waitForData("readExactly", n);
        }
        return take(n);
    }

    /**
     * Read one line of UTF-8 text, as {@link java.io.BufferedReader#readLine()}: without its {@code "\n"} or
     * {@code "\r\n"}; the last line of the stream may lack one; {@code null} at the end of the stream.
     *
     * @return the line, or null once the stream has ended and every byte was read
     * @throws LimitOverrunException   if no {@code '\n'} is within the limit; the line is dropped as by
     *                                 {@link #readLineBytes()}
     * @throws BrokenResourceException if the connection broke before a whole line
     * @throws BusyResourceException   if another task is waiting to read
     */
    public String readLine() throws IOException {
        return readLine(StandardCharsets.UTF_8);
    }

    /**
     * {@link #readLine()} in the given charset (an ASCII-compatible one: the line ends at the byte {@code '\n'}).
     * Malformed input becomes U+FFFD, as with an {@link java.io.InputStreamReader}.
     */
    public String readLine(Charset charset) throws IOException {
        byte[] line = readLineBytes();
        int length = line.length;
        if (length == 0) {
            return null;
        }
        if (line[length - 1] == '\n') {
            length -= length >= 2 && line[length - 2] == '\r' ? 2 : 1;
        }
        return new String(line, 0, length, charset);
    }

    /**
     * The lines still to come, read lazily as the stream is consumed, as {@link java.io.BufferedReader#lines()}: UTF-8,
     * without terminators. Consume it in a task of the loop, as every read. An I/O error is thrown as an
     * {@link UncheckedIOException} whose cause is the {@link IOException} (a {@link BrokenResourceException}, say) — a
     * {@link Stream} cannot throw checked exceptions; the JDK's {@code lines()} does the same.
     */
    public Stream<String> lines() {
        return lines(StandardCharsets.UTF_8);
    }

    /** {@link #lines()} in the given charset. */
    public Stream<String> lines(Charset charset) {
        Iterator<String> lines = new Iterator<>() {
            private String next;
            private boolean ended;

            @Override
            public boolean hasNext() {
                if (next == null && !ended) {
                    try {
                        next = readLine(charset);
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    ended = next == null;
                }
                return next != null;
            }

            @Override
            public String next() {
                if (!hasNext()) {
                    throw new NoSuchElementException("the stream from " + peer + " has ended");
                }
                String line = next;
                next = null;
                return line;
            }
        };
        return StreamSupport.stream(
                Spliterators.spliteratorUnknownSize(lines, Spliterator.ORDERED | Spliterator.NONNULL), false);
    }

    /**
     * Read one line as bytes, as asyncio's {@code readline}: up to and including {@code '\n'}; at the end of the
     * stream, what is left (possibly nothing, so an empty array means the end).
     *
     * <p>As asyncio's {@code readline}, a line longer than the limit is dropped from the buffer: up to and including
     * its {@code '\n'} if that is buffered already, else everything buffered (the rest of the line then comes as the
     * next one).
     *
     * @throws LimitOverrunException   if no {@code '\n'} is within the limit
     * @throws BrokenResourceException if the connection broke before a whole line
     * @throws BusyResourceException   if another task is waiting to read
     */
    public byte[] readLineBytes() throws IOException {
        enter("readLine");
        try {
            return take(scanFor(NEWLINE, "readLine", true));
        } catch (LimitOverrunException e) {
            int consumed = e.consumed();
            take(consumed < size() && buffer[head + consumed] == '\n' ? consumed + 1 : size());
            throw e;
        }
    }

    /**
     * Read up to and including the separator.
     *
     * @throws IncompleteReadException  if the stream ends first; it carries (and consumes) the bytes that were left
     * @throws LimitOverrunException    if the separator is not within the limit; the bytes stay buffered
     * @throws BrokenResourceException  if the connection broke first; the bytes stay buffered
     * @throws BusyResourceException    if another task is waiting to read
     * @throws IllegalArgumentException if the separator is empty
     */
    public byte[] readUntil(byte[] separator) throws IOException {
        if (separator.length == 0) {
            throw new IllegalArgumentException("readUntil needs a separator of at least one byte");
        }
        enter("readUntil");
        return take(scanFor(separator.clone(), "readUntil", false));
    }

    /** Whether the stream has ended and every byte has been read. */
    public boolean atEof() {
        return eof && buffered() == 0;
    }

    /** How many bytes are buffered: what a read can take without waiting. */
    public int buffered() {
        return size() + keptBytes;
    }

    /**
     * The most a separator search looks at ({@link #readUntil}, {@link #readLine}); reading pauses once the buffer
     * holds more than twice this, and resumes when reads bring it down to this.
     */
    public int limit() {
        return limit;
    }

    @Override
    public String toString() {
        return "StreamReader[from " + peer + ", " + buffered() + " bytes buffered" + (eof ? ", eof" : "")
                + (failure != null ? ", broken" : "") + (paused ? ", paused" : "") + "]";
    }

    // ---- fed by the protocol, on the loop

    void connectionMade(StreamTransport transport) {
        this.transport = transport;
        this.peer = Addresses.format(transport.remoteAddress());
    }

    /**
     * Take the bytes in: kept as they are (a lease from the transport that delivered them) while the reader lends, else
     * copied. The buffer is the transport's again once dataReceived returns.
     */
    void feedData(ByteBuffer data, StreamTransport from) {
        int n = data.remaining();
        if (n == 0) {
            return;
        }
        if (lending || !kept.isEmpty()) { // kept bytes come after the copied ones, so nothing is copied behind them
            kept.add(from.keep(data));
            keptBytes += n;
            data.position(data.limit());
            wake();
            if (held() > 2 * limit && canPause()) {
                pause();
            }
            return;
        }
        boolean full = size() + n > 2 * limit && canPause();
        if (full) {
            fitExactly(size() + n);
        } else {
            ensureRoom(n);
        }
        data.get(buffer, tail, n);
        tail += n;
        wake();
        if (full) {
            pause();
        }
    }

    void feedEof() {
        eof = true;
        wake();
    }

    /**
     * The connection is gone: let go of every kept buffer (the view lent last is invalid from now on), keeping the bytes
     * not yet read as a copy, still to be read.
     */
    void connectionLost() {
        unlend();
        unkeep();
    }

    /** The connection broke: reads after the buffered bytes throw a BrokenResourceException caused by this. */
    void fail(Throwable cause) {
        if (failure == null) {
            failure = cause;
        }
        wake();
    }

    // ---- the machinery

    /**
     * Find the separator and return how many bytes to take to get it, waiting for data as needed; at the end of the
     * stream return all that is left if {@code eofEnds}, else throw IncompleteReadException.
     */
    private int scanFor(byte[] separator, String operation, boolean eofEnds) throws IOException {
        int offset = 0; // where the next search starts: earlier positions were searched already
        while (true) {
            int size = size();
            if (size - offset >= separator.length) {
                int at = indexOf(separator, offset);
                if (at >= 0) {
                    if (at > limit) {
                        throw new LimitOverrunException(operation + ": the separator was found " + at + " bytes into "
                                + "the stream from " + peer + ", past the limit of " + limit + " bytes", at);
                    }
                    return at + separator.length;
                }
                offset = size + 1 - separator.length;
                if (offset > limit) {
                    throw new LimitOverrunException(operation + ": no separator within the limit of " + limit
                            + " bytes of the stream from " + peer, offset);
                }
            }
            if (eof) {
                if (eofEnds) {
                    return size;
                }
                throw new IncompleteReadException("the stream from " + peer + " ended after " + size
                        + " bytes without the separator " + operation + " looked for", take(size), -1);
            }
            throwIfBroken();
            waitForData(operation, size + 1);
        }
    }

    private int indexOf(byte[] separator, int from) {
        byte first = separator[0];
        int last = tail - separator.length;
        search:
        for (int i = head + from; i <= last; i++) {
            if (buffer[i] != first) {
                continue;
            }
            for (int j = 1; j < separator.length; j++) {
                if (buffer[i + j] != separator[j]) {
                    continue search;
                }
            }
            return i - head;
        }
        return -1;
    }

    private void enter(String operation) {
        enter(operation, false);
    }

    /**
     * The checks every read starts with; the view lent last is read past. A read that lends keeps the kept buffers
     * (and keeps what arrives); any other works on copied bytes alone.
     */
    private void enter(String operation, boolean lend) {
        if (!loop.inLoop()) {
            throw new WrongThreadException("StreamReader." + operation + "() is confined to its loop, " + loop
                    + "; call it from a task of that loop, or hand the work over with EventLoop.submit");
        }
        unlend();
        if (waiter != null) {
            String who = waitingTask != null ? "task '" + waitingTask.name() + "'" : "another caller";
            throw new BusyResourceException("StreamReader." + operation + "(): " + who + " is already waiting in "
                    + waitingIn + "() on the stream from " + peer + "; a stream has one reader at a time: read "
                    + "from one task and pass the data on (through an AsyncQueue, say)");
        }
        Tasks.checkCancelled(); // every read is a cancellation point, whether or not it has to wait
        lending = lend;
        if (!lend) {
            unkeep();
        }
    }

    private void unlend() {
        if (lent != null) {
            lent.release();
            lent = null;
            lentBytes = 0;
        }
    }

    /** Copy the kept bytes behind the copied ones, and let the kept buffers go. */
    private void unkeep() {
        if (kept.isEmpty()) {
            return;
        }
        ensureRoom(keptBytes);
        for (ReadLease lease; (lease = kept.poll()) != null; ) {
            ByteBuffer data = lease.data();
            int n = data.remaining();
            data.get(data.position(), buffer, tail, n);
            tail += n;
            lease.release();
        }
        keptBytes = 0;
    }

    /** Wait until more data, the end or a failure arrives; the read needs {@code wanted} bytes buffered to return. */
    private void waitForData(String operation, int wanted) {
        if (paused) {
            paused = false;
            if (!transport.isClosing()) {
                transport.resumeReading();
            }
        }
        Future<Void> waiting = loop.createFuture();
        waiter = waiting;
        waiterWants = wanted;
        waitingTask = Task.currentOrNull();
        waitingIn = operation;
        try {
            waiting.await();
        } finally {
            waiter = null;
            waitingTask = null;
            waitingIn = null;
        }
    }

    private void wake() {
        if (waiter != null && !waiter.isDone()) {
            waiter.setResult(null);
        }
    }

    private void throwIfBroken() throws BrokenResourceException {
        if (failure != null) {
            throw SocketErrors.brokenAgain(failure, peer);
        }
    }

    private static void checkCount(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("cannot read a negative number of bytes: " + n);
        }
    }

    private int size() {
        return tail - head;
    }

    /**
     * Make the buffer hold exactly {@code capacity} bytes, the unread ones first. For a reader about to pause: nothing
     * more arrives until a read takes some, so room to spare would only be memory that a stalled connection holds for
     * as long as its peer likes (the doubling of {@link #ensureRoom} leaves up to half the array empty).
     */
    private void fitExactly(int capacity) {
        int size = size();
        if (buffer.length == capacity) {
            if (head > 0) {
                System.arraycopy(buffer, head, buffer, 0, size);
            }
        } else {
            byte[] fitted = new byte[capacity];
            System.arraycopy(buffer, head, fitted, 0, size);
            buffer = fitted;
        }
        head = 0;
        tail = size;
    }

    private void ensureRoom(int n) {
        if (tail + n <= buffer.length) {
            return;
        }
        int size = size();
        if (size + n <= buffer.length - buffer.length / 4) {
            System.arraycopy(buffer, head, buffer, 0, size); // compact: enough room once the read bytes are gone
        } else {
            long wanted = Math.max(Math.max((long) buffer.length * 2, (long) size + n), INITIAL_CAPACITY);
            byte[] grown = new byte[(int) Math.min(wanted, Integer.MAX_VALUE - 8)];
            System.arraycopy(buffer, head, grown, 0, size);
            buffer = grown;
        }
        head = 0;
        tail = size;
    }

    /** Take the first n buffered bytes, give back memory a large read needed, and resume reading if drained. */
    private byte[] take(int n) {
        if (n == 0) {
            return EMPTY;
        }
        byte[] taken = Arrays.copyOfRange(buffer, head, head + n);
        head += n;
        if (head == tail) {
            head = 0;
            tail = 0;
            if (buffer.length > 4 * limit) {
                buffer = EMPTY;
            }
        }
        balance();
        return taken;
    }

    /** After a read took bytes: resume reading once down to the limit, or pause above twice the limit. */
    private void balance() {
        if (paused && held() <= limit) {
            paused = false;
            if (!transport.isClosing()) {
                transport.resumeReading();
            }
        } else if (held() > 2 * limit && canPause()) {
            // What arrived while a read waited was not checked (that read had to get it); the read has its part now.
            if (kept.isEmpty()) {
                fitExactly(size());
            }
            pause();
        }
    }

    /** What the reader holds: the bytes buffered, copied or kept, and those lent until the next read. */
    private int held() {
        return size() + keptBytes + lentBytes;
    }

    /**
     * A read waiting for more than the limit (a large readExactly, a readAll) has to get it: no pause until it has what
     * it waits for, or the buffer would be trimmed and paused on every delivery of a large body, copying it again each
     * time. One that has what it needs, woken but not yet run, takes it soon; a transport may deliver several reads
     * before then (Netty's reads held while paused), and those are what the pause stops.
     */
    private boolean canPause() {
        boolean waitingForMore = waiter != null && (!waiter.isDone() || buffered() < waiterWants);
        return !waitingForMore && !paused && transport != null && !transport.isClosing();
    }

    private void pause() {
        paused = true;
        transport.pauseReading();
    }
}
