package dev.weft.loop;

import java.util.List;

/** A loop backend was asked for by a name no installed {@link LoopProvider} has. */
public class UnknownLoopException extends IllegalArgumentException {
    private final String name;
    private final List<String> known;

    public UnknownLoopException(String name, List<String> known) {
        super("unknown event loop '" + name + "'; known loops: auto, " + String.join(", ", known)
                + " (set with -Dweft.loop=NAME)");
        this.name = name;
        this.known = List.copyOf(known);
    }

    public String name() {
        return name;
    }

    /** Names of the installed providers, best first. */
    public List<String> known() {
        return known;
    }
}
