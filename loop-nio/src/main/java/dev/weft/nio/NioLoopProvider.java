package dev.weft.nio;

import dev.weft.loop.Capability;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopProvider;
import dev.weft.net.JdkSockets;

import java.util.Optional;
import java.util.Set;

/** The embedded default backend: needs nothing but the JDK, so it is always available. */
public final class NioLoopProvider implements LoopProvider {
    public static final String NAME = "nio";

    @Override
    public String name() {
        return NAME;
    }

    @Override
    public String description() {
        return "pure JDK: java.nio Selector";
    }

    /** Lowest of the built-in backends: the native ones beat it where they run. */
    @Override
    public int priority() {
        return 10;
    }

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
        return capabilitiesHere();
    }

    static Set<Capability> capabilitiesHere() {
        return JdkSockets.reusePortSupported()
                ? Set.of(Capability.TCP, Capability.UDP, Capability.UNIX_SOCKETS, Capability.REUSE_PORT)
                : Set.of(Capability.TCP, Capability.UDP, Capability.UNIX_SOCKETS);
    }

    @Override
    public EventLoop newLoop() {
        return new NioEventLoop();
    }
}
