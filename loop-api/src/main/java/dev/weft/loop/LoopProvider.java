package dev.weft.loop;

import java.util.Optional;
import java.util.Set;

/**
 * A backend, found by {@link java.util.ServiceLoader}. Register an implementation in
 * {@code META-INF/services/dev.weft.loop.LoopProvider}; it must have a public no-argument constructor and be cheap to
 * construct: probing happens in {@link #isAvailable()}, once, and is cached by the implementation.
 */
public interface LoopProvider {

    /** The name users select it by with {@code -Dweft.loop=NAME}: lower case, no spaces. */
    String name();

    /** One line saying what the backend is built on. */
    String description();

    /** Higher is better: {@code -Dweft.loop=auto} picks the available provider with the highest priority. */
    int priority();

    /** Whether this backend can run here. Never throws. */
    boolean isAvailable();

    /** Why {@link #isAvailable()} is false, with a remedy in the message; empty when available. */
    Optional<Throwable> unavailabilityCause();

    /** What loops from this provider support beyond callbacks, timers and tasks. */
    Set<Capability> capabilities();

    /**
     * Create a new, idle loop. The caller owns it and must close it.
     *
     * @throws LoopUnavailableException if the backend cannot run here
     */
    EventLoop newLoop();
}
