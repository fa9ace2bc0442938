package dev.weft.loop;

import java.io.UncheckedIOException;

/** The resource broke from outside: the peer reset the connection, the network or the OS failed it. */
public class BrokenResourceException extends UncheckedIOException {
    public BrokenResourceException(String message, java.io.IOException cause) {
        super(message, cause);
    }
}
