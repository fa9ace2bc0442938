package dev.weft.iouring;

import io.netty.channel.IoHandle;
import io.netty.channel.IoHandler;
import io.netty.channel.IoHandlerContext;
import io.netty.channel.IoRegistration;

import java.lang.reflect.Field;

/**
 * Netty's io_uring handler, made usable from any one thread at a time.
 *
 * <p>A Weft loop runs on whichever thread runs it now: a test creates it on one thread, runs it on another and closes
 * it on the first; a group runs it on its own. Netty's ring is made for one thread: it registers the ring's file
 * descriptor with the kernel (IORING_REGISTER_RING_FDS), and a registered ring fd is valid only in the thread that
 * registered it, so io_uring_enter from any other thread fails with EBADF. Right after Netty enables the ring, this
 * handler turns that optimisation off — the submission queue enters through the ring's real fd, valid in every thread
 * of the process. Together with a ring set up without IORING_SETUP_SINGLE_ISSUER, the ring then follows the loop from
 * thread to thread; the loop still guarantees one thread at a time. The cost is the kernel's fd lookup per
 * io_uring_enter (an fdget), which the registration saved.
 *
 * <p>Netty 4.2.18.Final offers no switch for it, so this reaches into two private fields; the class fails loudly at the
 * first loop if a Netty upgrade renames them.
 */
final class AnyThreadRing implements IoHandler {
    private static final int IORING_ENTER_REGISTERED_RING = 1 << 4;

    private final IoHandler netty;

    AnyThreadRing(IoHandler netty) {
        this.netty = netty;
    }

    @Override
    public void initialize() {
        netty.initialize();
        try {
            Object ring = field(netty.getClass(), "ringBuffer").get(netty);
            Object submissions = field(ring.getClass(), "ioUringSubmissionQueue").get(ring);
            Class<?> queue = submissions.getClass();
            field(queue, "enterRingFd").setInt(submissions, field(queue, "ringFd").getInt(submissions));
            Field flags = field(queue, "enterFlags");
            flags.setInt(submissions, flags.getInt(submissions) & ~IORING_ENTER_REGISTERED_RING);
        } catch (ReflectiveOperationException | RuntimeException e) {
            throw new IllegalStateException("cannot let Netty's io_uring ring move between threads; Weft's iouring "
                    + "loop needs Netty 4.2.18.Final", e);
        }
    }

    private static Field field(Class<?> type, String name) throws NoSuchFieldException {
        Field field = type.getDeclaredField(name);
        field.setAccessible(true);
        return field;
    }

    @Override
    public int run(IoHandlerContext context) {
        return netty.run(context);
    }

    @Override
    public void prepareToDestroy() {
        netty.prepareToDestroy();
    }

    @Override
    public void destroy() {
        netty.destroy();
    }

    @Override
    public IoRegistration register(IoHandle handle) throws Exception {
        return netty.register(handle);
    }

    @Override
    public void wakeup() {
        netty.wakeup();
    }

    @Override
    public boolean isCompatible(Class<? extends IoHandle> handleType) {
        return netty.isCompatible(handleType);
    }
}
