package dev.weft.stream;

import dev.weft.channel.Channel;
import dev.weft.channel.ChannelClosedException;
import dev.weft.net.StreamReader;

import java.io.IOException;
import java.nio.charset.Charset;
import java.util.Iterator;
import java.util.NoSuchElementException;
import java.util.Objects;
import java.util.concurrent.CompletionException;

/** The cursors of the sources that run in the consumer's task: iterables, channels and a connection's reader. */
final class Sources {
    private Sources() {
    }

    /** The items of an iterator, refusing nulls. */
    static final class OfIterator<T> implements Cursor<T> {
        private final Iterator<? extends T> items;
        private boolean closed;

        OfIterator(Iterator<? extends T> items) {
            this.items = items;
        }

        @Override
        public boolean hasNext() {
            return !closed && items.hasNext();
        }

        @Override
        public T next() {
            if (!hasNext()) {
                throw new NoSuchElementException("the stream has ended: call next() only after hasNext() returned true");
            }
            return Objects.requireNonNull(items.next(), "the iterable holds null: streams carry no null items");
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    /** A read of the reader: the next piece, or null at the end of the stream. */
    @FunctionalInterface
    interface Read<T> {
        T next(StreamReader reader) throws IOException;
    }

    /** What a reader's reads return until the end of its stream: chunks of bytes, or lines. */
    static final class FromReader<T> extends Lookahead<T> {
        private final StreamReader reader;
        private final Read<T> read;

        FromReader(StreamReader reader, Read<T> read) {
            this.reader = reader;
            this.read = read;
        }

        @Override
        protected boolean advance() {
            T piece;
            try {
                piece = read.next(reader);
            } catch (IOException e) {
                throw new CompletionException(e); // the exception rule's one wrapper for a checked failure
            }
            return piece != null && found(piece);
        }

        @Override
        public void close() {
            end(); // the connection stays open: it belongs to whoever opened it
        }
    }

    /** What a channel's receives take until it is closed and drained. */
    static final class FromChannel<T> extends Lookahead<T> {
        private final Channel<T> channel;

        FromChannel(Channel<T> channel) {
            this.channel = channel;
        }

        @Override
        protected boolean advance() {
            try {
                return found(channel.receive());
            } catch (ChannelClosedException drained) {
                return false;
            }
        }

        @Override
        public void close() {
            end(); // the channel stays open: it is shared, and its owner closes it
        }
    }

    static Read<byte[]> chunks(int maxChunk) {
        return reader -> {
            byte[] chunk = reader.read(maxChunk);
            return chunk.length == 0 ? null : chunk;
        };
    }

    static Read<String> lines(Charset charset) {
        return reader -> reader.readLine(charset);
    }
}
