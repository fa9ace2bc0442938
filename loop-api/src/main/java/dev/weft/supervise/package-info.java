/**
 * Supervisors, links and monitors after Erlang/OTP: "let it crash", and restart what crashed from a known state.
 *
 * <ul>
 *   <li>{@link dev.weft.supervise.Supervisor} runs children ({@link dev.weft.supervise.ChildSpec}) and restarts them
 *       by a policy given as data ({@link dev.weft.supervise.SupervisorSpec}): a {@link dev.weft.supervise.Strategy},
 *       each child's {@link dev.weft.supervise.Restart} type, a restart limit (at most N in T, then it gives up with
 *       {@link dev.weft.supervise.SupervisorGaveUpException}), a {@link dev.weft.supervise.Backoff}. A supervisor is a
 *       child of another: trees.</li>
 *   <li>{@link dev.weft.supervise.Monitor} lets a task learn how another ended, as an
 *       {@link dev.weft.loop.Outcome}; {@link dev.weft.supervise.Link} makes two tasks fall together.</li>
 * </ul>
 *
 * <h2>Structure</h2>
 * A supervisor is a scope: it runs as a task of one loop ({@link dev.weft.supervise.SupervisorSpec#start()} in a
 * try-with-resources block, or {@link dev.weft.supervise.SupervisorSpec#run()} in the calling task), its children
 * are tasks of that loop, and when it stops — closed, cancelled, or giving up — it stops every child, last started
 * first, and waits for them all: nothing it started outlives it.
 *
 * <h2>Starting</h2>
 * Children start one at a time, in order. A child has started once its body runs ({@link
 * dev.weft.supervise.ChildSpec#of(String, dev.weft.loop.VoidBody)}), or once it says so ({@link
 * dev.weft.supervise.ChildSpec#starting}, {@link dev.weft.supervise.StartSignal}); a subtree once all its children
 * have. One that ends first failed to start ({@link dev.weft.supervise.ChildStartException}): at the supervisor's
 * start that fails the start, at a restart it counts as one more restart.
 *
 * <h2>Stopping</h2>
 * A child is stopped by cancelling it (the polite stop its {@code finally} blocks see); one still running after its
 * shutdown time is cancelled through its shields, which cuts short a shielded clean-up at its next await.
 *
 * <h2>Logging</h2>
 * Every end of a child that the supervisor did not cause is logged once, on the logger {@code dev.weft.supervise}:
 * WARNING with the stack trace for a failure, INFO for a return or an outside cancellation, saying what the supervisor
 * does next (restart, not restart, give up), including a crash that came while the supervisor was busy and a failure
 * while it stopped the child. Stops the supervisor causes are not logged. A child that outlives even the stop through
 * its shields is named after the grace period, on {@code dev.weft.scope}, as a {@code TaskGroup} names one.
 *
 * <p>Supervisors are confined to their loop; monitors and links are thread-safe and work across the loops of a
 * {@link dev.weft.loop.LoopGroup}.
 */
package dev.weft.supervise;
