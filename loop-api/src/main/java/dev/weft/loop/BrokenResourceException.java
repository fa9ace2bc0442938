package dev.weft.loop;

import java.io.IOException;

/**
 * The resource broke from outside: the peer reset the connection, the network or the OS failed it. An
 * {@link IOException}, so {@code catch (IOException e)} around a read or write loop sees it; the backend's own error
 * (the JDK's or Netty's exception, with its errno text) is the cause. The message is the same on every backend for
 * the same event ("connection reset by peer 127.0.0.1:40312"): see docs/design.md, "Errors".
 */
public class BrokenResourceException extends IOException {
    public BrokenResourceException(String message, Throwable cause) {
        super(message, cause);
    }
}
