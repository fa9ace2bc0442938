package dev.weft.loop;

import java.util.concurrent.CancellationException;

/**
 * What {@link Loops#run} throws when SIGINT or SIGTERM stopped it: the signal cancelled the main task, main unwound
 * (its {@code finally} blocks ran) and the loop is closed. It is thrown whatever main did with its own cancellation —
 * let it out, or caught it and returned — because the process was asked to stop. A failure of main other than the
 * cancellation, or of closing the loop, is attached as a suppressed exception.
 *
 * <p>Before throwing it, {@code Loops.run} starts a thread that ends the process with {@link #exitStatus()} once the
 * thread that called {@code run} has ended, so a plain {@code main} exits with the status a shell expects after its
 * own {@code finally} blocks and catch blocks ran. A program that catches this exception still exits then; one that
 * must decide for itself runs with {@code -Dweft.signals=false}. See {@link Loops} ("Ctrl-C and SIGTERM").
 */
public class SignalCancellationException extends CancellationException {
    private static final long serialVersionUID = 1L;

    private final String signal;
    private final int exitStatus;

    /**
     * @param signal     the signal's name with {@code SIG}: {@code "SIGINT"}, {@code "SIGTERM"}
     * @param exitStatus the status a shell reports for a process the signal ended: 128 + its number
     */
    public SignalCancellationException(String signal, int exitStatus) {
        super(message(signal));
        this.signal = signal;
        this.exitStatus = exitStatus;
    }

    /** The signal's name with {@code SIG}: {@code "SIGINT"} or {@code "SIGTERM"}. */
    public String signal() {
        return signal;
    }

    /** 128 + the signal's number, as the JVM's own handler would have exited: 130 for SIGINT, 143 for SIGTERM. */
    public int exitStatus() {
        return exitStatus;
    }

    /** The reason main is cancelled with: "cancelled by SIGINT (Ctrl-C)", "cancelled by SIGTERM". */
    static String message(String signal) {
        return "cancelled by " + signal + (signal.equals("SIGINT") ? " (Ctrl-C)" : "");
    }
}
