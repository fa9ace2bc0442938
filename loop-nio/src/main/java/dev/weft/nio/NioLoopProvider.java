package dev.weft.nio;

import dev.weft.loop.Capability;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopProvider;

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

    /** Networking comes with the transports; until then a nio loop offers callbacks, timers and tasks. */
    @Override
    public Set<Capability> capabilities() {
        return Set.of();
    }

    @Override
    public EventLoop newLoop() {
        return new NioEventLoop();
    }
}
