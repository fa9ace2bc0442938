package dev.weft.net;

import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.ClosedResourceException;

import javax.net.ssl.SSLException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.CompletionException;

/**
 * Which failures a peer can cause — a reset, an EOF in the middle of a message, a TLS alert or a failed handshake,
 * input past a limit — as opposed to the program's own bugs. The first are network weather: Weft logs them at most
 * at {@code DEBUG} without a stack trace, or only counts them; the second go to the loop's exception handler with
 * their stack (docs/design.md, "Logging"). For library authors who serve connections.
 */
public final class PeerErrors {
    private PeerErrors() {
    }

    /** Whether the peer (or the network between) could have caused {@code error}, looking through wrappers. */
    public static boolean causedByPeer(Throwable error) {
        Throwable t = unwrap(error);
        return switch (t) {
            case BrokenResourceException e -> onlyIo(e.getCause()); // reset, broken pipe; not a bug it carries
            case IncompleteReadException e -> true; // EOF in the middle of a message
            case LimitOverrunException e -> true; // a line or a message past the reader's limit
            case SSLException e -> true; // a TLS alert, a handshake the peer failed
            case ClosedResourceException e -> e.getCause() != null && causedByPeer(e.getCause()); // it broke, not closed
            case TransportClosedException e -> e.getCause() != null && causedByPeer(e.getCause());
            default -> false;
        };
    }

    /**
     * Whether {@code error} is about what a stream reader was sent — an EOF in the middle of a message, input past a
     * limit — rather than a connection that broke.
     */
    public static boolean isInputError(Throwable error) {
        Throwable t = unwrap(error);
        return t instanceof IncompleteReadException || t instanceof LimitOverrunException;
    }

    /** One line for a log record: the exception's class and message, and its cause's, without a stack trace. */
    public static String summary(Throwable error) {
        Throwable t = unwrap(error);
        String line = t.getClass().getSimpleName() + ": " + t.getMessage();
        Throwable cause = t.getCause();
        return cause == null || String.valueOf(t.getMessage()).contains(String.valueOf(cause.getMessage()))
                ? line : line + " (" + cause + ")";
    }

    /** Whether the whole cause chain is I/O: a transport lost to an Error or a bug carries it as its cause. */
    private static boolean onlyIo(Throwable cause) {
        for (Throwable c = cause; c != null; c = c.getCause()) {
            if (!(c instanceof IOException || c instanceof UncheckedIOException)) {
                return false;
            }
        }
        return true;
    }

    private static Throwable unwrap(Throwable error) {
        Throwable t = error;
        while (t.getClass() == CompletionException.class && t.getCause() != null) {
            t = t.getCause();
        }
        return t;
    }
}
