package dev.weft.testkit;

import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import dev.weft.loop.BusyResourceException;
import dev.weft.net.ConnectionHandler;
import dev.weft.net.IncompleteReadException;
import dev.weft.net.LimitOverrunException;
import dev.weft.net.NetworkLoop;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamReader;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CancellationException;

import static java.nio.charset.StandardCharsets.ISO_8859_1;
import static java.nio.charset.StandardCharsets.UTF_8;
import static dev.weft.testkit.StreamTests.LOCALHOST;
import static dev.weft.testkit.StreamTests.NEEDS_NETWORK;
import static dev.weft.testkit.StreamTests.ascii;
import static dev.weft.testkit.StreamTests.text;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * StreamReader over real sockets on the loopback address: what each read returns, at the end of the stream and
 * before it, past the limit, with two readers at once, when cancelled, and when the peer vanishes.
 */
public abstract class StreamReadSuite extends LoopSuite {

    @BeforeEach
    final void requireNetworking() {
        assumeTrue(loop instanceof NetworkLoop, NEEDS_NETWORK);
    }

    /** Start a server whose handler sends the text and closes, connect to it, and run the body with the connection. */
    private <T> T withServerSending(String sent, Body<T> body) {
        return withServer((reader, writer) -> writer.write(ascii(sent)), StreamReader.DEFAULT_LIMIT, body);
    }

    private <T> T withServer(ConnectionHandler handler, int limit, Body<T> body) {
        return run(() -> {
            StreamServer server = Streams.startServer(handler, LOCALHOST, 0);
            try (StreamConnection c = Streams.openConnection(LOCALHOST, server.port(), SocketOptions.DEFAULTS, limit)) {
                return body.run(c);
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
    }

    @FunctionalInterface
    private interface Body<T> {
        T run(StreamConnection connection) throws Exception;
    }

    @Test
    void readLineReadUntilAndReadTakeTheirPiecesThenReportTheEnd() {
        List<String> pieces = withServerSending("alpha\nbeta--gamma\r\ndelta", c -> {
            StreamReader reader = c.reader();
            List<String> got = new ArrayList<>();
            got.add(text(reader.readLineBytes()));
            got.add(text(reader.readUntil(ascii("--"))));
            got.add(text(reader.read(3)));
            got.add(text(reader.readUntil(ascii("\r\n"))));
            got.add(text(reader.readLineBytes())); // the rest, without a newline, at the end of the stream
            assertTrue(reader.atEof(), "atEof once everything is read");
            got.add(text(reader.readLineBytes()));
            got.add(text(reader.read(10)));
            got.add(text(reader.readAll()));
            return got;
        });
        assertEquals(List.of("alpha\n", "beta--", "gam", "ma\r\n", "delta", "", "", ""), pieces);
    }

    /** readLine as BufferedReader's: no terminator ("\n" or "\r\n"), the last line unterminated, then null. */
    @Test
    void readLineReturnsTextWithoutTerminatorsAndNullAtTheEnd() {
        List<String> lines = withServer((reader, writer) -> writer.write("grüß\r\n\nzwei\r\nlast", UTF_8),
                StreamReader.DEFAULT_LIMIT, c -> {
                    List<String> got = new ArrayList<>();
                    String line;
                    while ((line = c.reader().readLine()) != null) {
                        got.add(line);
                    }
                    got.add(String.valueOf(c.reader().readLine())); // still null
                    return got;
                });
        assertEquals(List.of("grüß", "", "zwei", "last", "null"), lines);
    }

    @Test
    void linesStreamsTheRestInTheCharset() {
        List<String> got = withServer((reader, writer) -> {
            writer.write("first\n", ISO_8859_1);
            writer.write("café\nthé\n--", ISO_8859_1);
            writer.write("tail é", UTF_8);
        }, StreamReader.DEFAULT_LIMIT, c -> {
            List<String> results = new ArrayList<>();
            results.add(c.reader().readLine(ISO_8859_1));
            results.addAll(c.reader().lines(ISO_8859_1).toList());
            return results;
        });
        assertEquals(List.of("first", "café", "thé", "--tail \u00c3\u00a9"), got); // UTF-8's é read as Latin-1
    }

    @Test
    void linesCanStopEarlyAndReadAllTakesTheRestAsText() {
        String tail = withServer((reader, writer) -> writer.write("a\nb\nrest é"), StreamReader.DEFAULT_LIMIT, c -> {
            assertEquals(List.of("a", "b"), c.reader().lines().limit(2).toList());
            return c.reader().readAll(UTF_8);
        });
        assertEquals("rest é", tail);
    }

    @Test
    void readReturnsWhatIsBufferedUpToNAndReadAllTheRest() {
        List<String> pieces = withServerSending("0123456789", c -> {
            StreamReader reader = c.reader();
            byte[] first = reader.readExactly(2); // wait until data is there
            List<String> got = new ArrayList<>(List.of(text(first)));
            got.add(text(reader.read(0)));
            got.add(text(reader.readAll()));
            return got;
        });
        assertEquals(List.of("01", "", "23456789"), pieces);
    }

    @Test
    void readExactlyAtAnEarlyEndThrowsTheTypedErrorWithThePartialBytes() {
        IncompleteReadException thrown = withServerSending("12345", c -> {
            IncompleteReadException e = assertThrows(IncompleteReadException.class, () -> c.reader().readExactly(10));
            assertEquals(0, c.reader().read(1).length, "the partial bytes were consumed: the stream is at its end");
            return e;
        });
        assertArrayEquals(ascii("12345"), thrown.partial());
        assertEquals(10, thrown.expected());
    }

    @Test
    void readUntilAtTheEndWithoutTheSeparatorThrowsWithWhatWasLeft() {
        IncompleteReadException thrown = withServerSending("one;two", c -> {
            assertEquals("one;", text(c.reader().readUntil(ascii(";"))));
            return assertThrows(IncompleteReadException.class, () -> c.reader().readUntil(ascii(";")));
        });
        assertArrayEquals(ascii("two"), thrown.partial());
        assertEquals(-1, thrown.expected());
    }

    @Test
    void aSeparatorPastTheLimitLeavesTheBytesForReadUntilAndDropsTheLineForReadLine() {
        String longLine = "x".repeat(40);
        List<String> got = withServer((reader, writer) -> writer.write(ascii(longLine + "\nshort\n")), 16, c -> {
            StreamReader reader = c.reader();
            reader.readExactly(1); // some bytes are buffered
            List<String> results = new ArrayList<>();
            results.add(text(reader.read(1)));
            LimitOverrunException overrun = assertThrows(LimitOverrunException.class,
                    () -> reader.readUntil(ascii("\n")));
            assertTrue(overrun.consumed() > 16, "it looked past the limit: " + overrun.consumed());
            results.add(text(reader.readExactly(3))); // readUntil left the bytes where they were
            assertThrows(LimitOverrunException.class, reader::readLineBytes);
            results.add(text(reader.readLineBytes())); // readLine dropped the long line, up to its newline
            results.add(text(reader.readLineBytes()));
            return results;
        });
        assertEquals(List.of("x", "xxx", "short\n", ""), got);
    }

    @Test
    void readLineDropsALinePastTheLimitAsReadLineBytesDoes() {
        String longLine = "x".repeat(40);
        List<String> text = withServer((reader, writer) -> writer.write(longLine + "\nshort\n"), 16, c -> {
            assertThrows(LimitOverrunException.class, c.reader()::readLine);
            return c.reader().lines().toList(); // the long line was dropped, the text form as the byte form
        });
        assertEquals(List.of("short"), text);
    }

    @Test
    void aSecondReadWhileOneWaitsIsBusyAndTheFirstGoesOnUndisturbed() {
        ConnectionHandler sendOnRequest = (reader, writer) -> {
            reader.readLineBytes();
            writer.write(ascii("data"));
        };
        String read = withServer(sendOnRequest, StreamReader.DEFAULT_LIMIT, c -> {
            Future<Void> started = EventLoop.current().createFuture();
            Task<byte[]> first = Tasks.spawn("first reader", () -> {
                started.setResult(null);
                return c.reader().readExactly(4); // it runs on into this wait before the main task resumes
            });
            started.await();
            BusyResourceException busy = assertThrows(BusyResourceException.class, () -> c.reader().read(1));
            assertTrue(busy.getMessage().contains("first reader") && busy.getMessage().contains("readExactly"),
                    "the error names the task that reads and how: " + busy.getMessage());
            assertThrows(BusyResourceException.class, () -> c.reader().readLineBytes());
            assertThrows(BusyResourceException.class, () -> c.reader().readAll());
            c.writer().write(ascii("go\n"));
            byte[] data = first.await();
            assertEquals(0, c.reader().read(1).length, "the reader is free again, and at the end");
            return text(data);
        });
        assertEquals("data", read);
    }

    @Test
    void aReadCancelledWhileWaitingConsumesNothing() {
        ConnectionHandler sendOnRequest = (reader, writer) -> {
            reader.readLineBytes();
            writer.write(ascii("0123456789"));
        };
        String read = withServer(sendOnRequest, StreamReader.DEFAULT_LIMIT, c -> {
            Future<Void> started = EventLoop.current().createFuture();
            Task<byte[]> waiting = Tasks.spawn(() -> {
                started.setResult(null);
                return c.reader().readExactly(10);
            });
            started.await();
            waiting.cancel();
            assertThrows(CancellationException.class, waiting::await);
            c.writer().write(ascii("go\n"));
            return text(c.reader().readExactly(10));
        });
        assertEquals("0123456789", read);
    }

    @Test
    void aPeerThatVanishesEndsAPendingReadWithTheEndOrABrokenConnection() {
        ConnectionHandler vanish = (reader, writer) -> {
            reader.readLineBytes();
            writer.abort();
        };
        Throwable ended = withServer(vanish, StreamReader.DEFAULT_LIMIT, c -> {
            Future<Void> started = EventLoop.current().createFuture();
            Task<byte[]> pending = Tasks.spawn(() -> {
                started.setResult(null);
                return c.reader().readExactly(100);
            });
            started.await();
            c.writer().write(ascii("go\n"));
            Throwable error = assertThrows(Exception.class, pending::await);
            if (error instanceof java.util.concurrent.CompletionException wrapped) {
                error = wrapped.getCause(); // a checked failure of the task, wrapped by await
            }
            // Every later read ends the same way, at once.
            Callable<byte[]> again = () -> c.reader().read(1);
            try {
                assertEquals(0, again.call().length);
            } catch (BrokenResourceException expected) {
                assertTrue(error instanceof BrokenResourceException, "broken only after broken: " + error);
            }
            return error;
        });
        if (ended instanceof IncompleteReadException eof) {
            assertEquals(100, eof.expected());
        } else if (!(ended instanceof BrokenResourceException)) {
            fail("a pending read ended by " + ended + ", neither the end of the stream nor a broken connection");
        }
    }

    @Test
    void aReadThatMustWaitOnTheLoopThreadOutsideATaskFailsAtOnce() {
        ConnectionHandler sendOnRequest = (reader, writer) -> {
            reader.readLineBytes();
            writer.write(ascii("abc"));
        };
        String read = withServer(sendOnRequest, StreamReader.DEFAULT_LIMIT, c -> {
            EventLoop here = EventLoop.current();
            Future<Throwable> outside = here.createFuture();
            here.callSoon(() -> {
                try {
                    c.reader().readLineBytes();
                    outside.setResult(null);
                } catch (Throwable t) {
                    outside.setResult(t);
                }
            });
            assertInstanceOf(BlockingOnLoopException.class, outside.await());
            c.writer().write(ascii("go\n"));
            return text(c.reader().readExactly(3)); // the failed read left the reader as it was
        });
        assertEquals("abc", read);
    }
}
