package dev.weft.samples;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Loops;
import dev.weft.loop.NamedLoopPolicy;

import java.util.function.Supplier;

/** A factory of loops of a backend found by name, as a program finds it, for {@code Loops.run(named(...), ...)}. */
final class NamedLoops {
    private NamedLoops() {
    }

    static Supplier<EventLoop> named(String backend) {
        return new NamedLoopPolicy(backend).choose(Loops.providers())::newLoop;
    }
}
