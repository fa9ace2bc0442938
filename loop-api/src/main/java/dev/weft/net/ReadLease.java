package dev.weft.net;

import java.nio.ByteBuffer;

/**
 * A buffer a stream transport delivered to {@code dataReceived}, kept past that call: what lets
 * {@link StreamReader#readChunk(int)} lend the transport's own bytes instead of copying them. Made by
 * {@link StreamTransport#keep(ByteBuffer)}; its holder releases it once the bytes are read past. For backend authors.
 *
 * <p>The default, {@link StreamTransport#keep}'s, is a copy: any transport works unchanged, without the saving. A
 * transport that can spare its read buffer (Netty's are reference counted; nio reads on into another part or another
 * buffer of its own; a vthreads reader reads into another buffer while one is held) keeps the delivered bytes in place
 * and takes them back in {@link #release()}; it must also write a view of a lease it was given back without copying it
 * and without letting it go with the lease (Netty's write holds a reference of its own, a vthreads write a hold on the
 * buffer), and release the leases still held when its loop closes.
 *
 * <p>Confined to the loop of the transport that made it, as the transport.
 */
public interface ReadLease {
    /**
     * The bytes kept and not yet lent, from position to limit: read-only, valid until {@link #release()}. The same
     * object each call, so that a transport recognises it when it is written back ({@link StreamTransport#write}).
     */
    ByteBuffer data();

    /**
     * Split the first {@code n} bytes of {@link #data()} off into a lease of their own (it is released separately);
     * this lease's data then starts after them.
     *
     * @throws IllegalArgumentException unless {@code 0 < n < data().remaining()}
     */
    ReadLease split(int n);

    /**
     * Let the bytes go: the buffer returns to its transport. Idempotent; {@link #data()} is invalid afterwards. A lease
     * on the transport's own memory empties its view here (limit 0), so that a view kept by mistake past its
     * lifetime reads and writes nothing rather than memory the transport reuses; a copy may leave its view as it is.
     */
    void release();

    /**
     * Whether a buffer given to a transport to write may be a view some reader lent — on another loop, perhaps, whose
     * transport cannot recognise it — and so may go back to its pool at that reader's next read. Lent views are
     * read-only and direct; a transport that holds a buffer past its {@code write} call must hold a copy of such a one
     * unless it knows the lease (a program rarely writes read-only direct buffers of its own: the copy costs little).
     */
    static boolean mayBeLent(ByteBuffer data) {
        return data.isReadOnly() && data.isDirect();
    }

    /**
     * {@link #split}'s cut, for implementations: the view's first {@code n} bytes as a view of their own, and the view
     * moved past them. Both parts must hold bytes.
     */
    static ByteBuffer cutFirst(ByteBuffer view, int n) {
        if (n <= 0 || n >= view.remaining()) {
            throw new IllegalArgumentException("a lease of " + view.remaining() + " bytes splits in two non-empty "
                    + "parts, not at " + n);
        }
        ByteBuffer first = view.slice(view.position(), n);
        view.position(view.position() + n);
        return first;
    }
}
