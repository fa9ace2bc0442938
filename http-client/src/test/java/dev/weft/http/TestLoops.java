package dev.weft.http;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.loop.NamedLoopPolicy;

import java.util.function.Supplier;

/**
 * The four backends the client's tests run on, found by name as any program finds them (the test class path has all
 * four): the client never sees a backend's classes, in its tests either. Each test makes, runs and closes its loop on
 * one thread ({@code Loops.run(TestLoops.named("iouring"), ...)}), which io_uring's ring, pinned to the thread that
 * first runs it, requires.
 */
final class TestLoops {
    static final String NIO = "nio";
    static final String EPOLL = "epoll";
    static final String IOURING = "iouring";
    static final String VTHREADS = "vthreads";

    private TestLoops() {
    }

    /**
     * A factory of new loops of the named backend, as {@code -Dweft.loop=NAME} picks it.
     *
     * @throws dev.weft.loop.UnknownLoopException if it is not installed here
     */
    static Supplier<EventLoop> named(String backend) {
        return new NamedLoopPolicy(backend).choose(Loops.providers())::newLoop;
    }
}
