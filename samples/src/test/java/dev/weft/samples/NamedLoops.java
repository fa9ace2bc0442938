package dev.weft.samples;

import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopProvider;
import dev.weft.loop.Loops;

import java.util.function.Supplier;

/** A factory of loops of a backend found by name, as a program finds it, for {@code Loops.run(named(...), ...)}. */
final class NamedLoops {
    private NamedLoops() {
    }

    static Supplier<EventLoop> named(String backend) {
        LoopProvider provider = Loops.providers().stream().filter(p -> p.name().equals(backend)).findFirst()
                .orElseThrow(() -> new IllegalStateException("no '" + backend + "' loop on the test class path"));
        return provider::newLoop;
    }
}
