/**
 * The virtual-thread backend ({@code -Dweft.loop=vthreads}): blocking JDK sockets on virtual threads, multiplexed by
 * the JDK's own poller.
 *
 * <p><b>The kernel facility, at one remove.</b> A virtual thread that blocks in a socket call does not block its
 * carrier: the JDK registers the file descriptor with its poller (epoll on Linux, kqueue on macOS) and parks the
 * thread until the descriptor is ready. So a thread per socket direction costs a few hundred bytes of stack, and the
 * JDK does the multiplexing a selector loop does by hand. What it does not give is contract 1: those threads run in
 * parallel. This backend keeps them away from user code.
 *
 * <p><b>Threads.</b> Per connection, a reader and (from the first write) a writer; per server, an acceptor; per
 * connect in progress, a connecting thread; per UDP endpoint, a receiver and (from the first send) a sender, named
 * {@code weft-vthreads-<role>-<port>}. In carried mode they are carried by their loop: a
 * {@link dev.weft.vthreads.LoopCarrier} runs them on the loop's own thread between its callbacks, so the hand-offs
 * between them and the loop cost no OS context switch, and on a stand-in platform thread while the loop thread cannot
 * (a callback blocks it, the loop is not running, or it closes; {@link dev.weft.vthreads.StallWatch} notices within
 * two 10 ms ticks). In baton mode, which cannot carry a virtual thread, they run on the JDK's default scheduler.
 *
 * <p><b>Contract 1.</b> I/O threads never call a protocol or touch a transport's state: they hand each outcome (a
 * chunk, an EOF, bytes written, an accepted socket, an error) to the loop with {@code execute}, and the loop's thread
 * makes every callback, one at a time. The loop itself only parks between iterations ({@code poll}); a submission
 * wakes it.
 *
 * <p><b>Backpressure.</b> A reader reads only with a {@link dev.weft.vthreads.ReadPermit} from the loop, granted as
 * the protocol consumes chunks and still wants data: one read ahead of the protocol while reads are small, none once
 * they fill their buffer; {@code pauseReading} withholds further permits and holds back what is already in flight, so
 * no {@code dataReceived} follows it, and the unread bytes stay in the kernel.
 * A write is counted in the write buffer until the writer reports it handed to the kernel; the protocol pauses past the
 * high water mark and resumes at the low one, as on nio. Unlike nio, which writes at once when it can, every write here
 * is queued, so a burst larger than the high water mark pauses the protocol briefly even on an idle socket.
 *
 * <p><b>Blocking callbacks.</b> A callback that blocks the loop thread only delays the loop: a stand-in carries the I/O
 * threads meanwhile, and they never wait on the loop while holding anything it needs (a reader waits for its permit
 * holding nothing; the writer's queue takes no lock).
 *
 * <p><b>Closing.</b> Closing a socket ends the blocking call of any thread in it. Closing the loop releases every
 * socket still open without calling protocols back, and waits up to two seconds for the I/O threads to end.
 */
package dev.weft.vthreads;
