package dev.weft.vthreads;

import dev.weft.loop.Capability;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopProvider;
import dev.weft.net.JdkSockets;

import java.util.Optional;
import java.util.Set;

/**
 * The virtual-thread backend, chosen with {@code -Dweft.loop=vthreads}: blocking JDK sockets on virtual threads, the
 * JDK's own poller multiplexing them. Its priority is below nio's, so {@code auto} picks it only when asked: every
 * byte crosses two threads (the I/O thread and the loop), which costs more than a selector on the loop thread.
 */
public final class VirtualThreadLoopProvider implements LoopProvider {
    public static final String NAME = "vthreads";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "pure JDK: blocking sockets on virtual threads, multiplexed by the JDK's poller";
    }

    /** Below nio (10): available everywhere nio is, but slower, so never the automatic choice. */
    @Override
    public int priority() {
        return 5;
    }

    /** Virtual threads are part of every JDK this project runs on (25). */
    @Override
    public boolean isAvailable() {
        return true;
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return Optional.empty();
    }

    /** TCP and Unix domain stream sockets, UDP; SO_REUSEPORT where the JDK offers it (Linux, macOS, the BSDs). */
    @Override
    public Set<Capability> capabilities() {
        return JdkSockets.reusePortSupported()
                ? Set.of(Capability.TCP, Capability.UDP, Capability.UNIX_SOCKETS, Capability.REUSE_PORT)
                : Set.of(Capability.TCP, Capability.UDP, Capability.UNIX_SOCKETS);
    }

    @Override
    public EventLoop newLoop() {
        return new VirtualThreadEventLoop();
    }
}
