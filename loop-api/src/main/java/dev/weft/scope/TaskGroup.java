package dev.weft.scope;

import dev.weft.loop.Body;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.InvalidStateException;
import dev.weft.loop.Task;
import dev.weft.loop.TaskScope;
import dev.weft.loop.TimerHandle;
import dev.weft.loop.UnhandledError;
import dev.weft.loop.VoidBody;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;

/**
 * Tasks that do not outlive the block that started them, as asyncio's {@code TaskGroup} and trio's nursery:
 *
 * <pre>{@code
 * try (TaskGroup group = TaskGroup.open()) {
 *     for (String cc : codes) {
 *         group.spawn(() -> download(cc));
 *     }
 * } // every child has ended here
 * }</pre>
 *
 * <ul>
 *   <li>{@link #close()} awaits every child, those that children spawn while it waits included.</li>
 *   <li>A child that fails (a cancelled child has not failed) makes the group cancel the others; {@code close()}
 *       then throws a {@link ChildFailedException}: the first failure is its cause, the later ones are suppressed.
 *       It is a CompletionException, the one wrapper of Weft's exception rule (see {@link Future#await()}).</li>
 *   <li>A child that ignores its cancellation (it catches the CancellationException and goes on, or waits shielded)
 *       for longer than the grace period ({@code -Dweft.cancel.grace}, in seconds, 5 by default) is named in one
 *       WARNING with the stack of where it is stuck ({@link CancellationGrace}).</li>
 *   <li>If the task that opened the group is cancelled while {@code close()} waits, or has a cancellation standing
 *       when {@code close()} starts (one that reaches the group's code: {@link Task#isCancelRequested()}), the group
 *       cancels the children, awaits them all, and only then lets the {@link CancellationException} out.</li>
 *   <li>Once the group is shutting down (a child failed, or {@link #cancel()}), a child spawned into it starts
 *       cancelled and never runs. After {@code close()} the group takes no child: {@link #spawn} throws.</li>
 * </ul>
 *
 * <table>
 *   <caption>States</caption>
 *   <tr><th>state</th><th>spawn</th><th>leaves by</th></tr>
 *   <tr><td>open</td><td>starts the child (cancelled, once shutting down)</td><td>{@code close()}</td></tr>
 *   <tr><td>closing</td><td>likewise (for children that spawn siblings)</td><td>the last child ending</td></tr>
 *   <tr><td>closed</td><td>throws {@link InvalidStateException}</td><td>–</td></tr>
 * </table>
 *
 * <h2>The try-with-resources form does not interrupt its body</h2>
 * In asyncio a child's failure also cancels the body of the {@code async with}. In a Java try-with-resources block
 * that would backfire: Java makes the body's exception the primary one and only attaches what {@code close()} throws
 * as suppressed, so a CancellationException injected into the body would be reported in place of the child's error
 * that caused it. The body therefore runs on; a child's failure reaches it only at {@code close()}. Two more Java
 * facts shape this form. {@code close()} cannot see an exception the body throws ({@link AutoCloseable#close()} is
 * given none), so a body's own failure does not cancel the children: they are awaited as usual (call {@link #cancel()}
 * or use {@link #run}). And {@code close()} throws a ChildFailedException rather than the child's own exception
 * because a body that awaited the failed child is throwing that very exception, and try-with-resources would then
 * call {@code addSuppressed} with the exception itself, which throws IllegalArgumentException and loses both.
 *
 * <h2>The lambda form does</h2>
 * {@link #run} knows how its body ended, so it behaves as asyncio does: a child's failure cancels the body too (the
 * task that runs it), a body's failure cancels the children, and it throws the child's own failure instead of the
 * CancellationException it used to stop the body, telling that cancellation from one that came from outside with
 * {@link Task#cancelling()} and {@link Task#uncancel()}. The body's own exceptions come out as themselves, checked ones
 * declared ({@code throws E}); a child's come out as themselves if unchecked, and in a CompletionException if checked,
 * since the signature cannot name them.
 *
 * <p>{@code run} takes a body with a value only. A second overload for a body without one would make every lambda
 * whose body is a single call, such as {@code g -> g.spawn(job).await()}, ambiguous to javac (a one-parameter lambda
 * fits both shapes); for a body without a value, use the try-with-resources form or end the body with
 * {@code return null;}.
 *
 * <p>Everything here is confined to the loop of the task that opened the group.
 */
public final class TaskGroup implements AutoCloseable {

    /** The body of {@link #run}: spawns children into the group it is given, and computes a value. */
    @FunctionalInterface
    public interface GroupBody<T, E extends Exception> {
        T run(TaskGroup group) throws E;
    }


    private enum State { OPEN, CLOSING, CLOSED }

    private final Task<?> parent;
    private final EventLoop loop;
    private final boolean cancelsBody;
    private final int shieldDepthAtOpen; // run form: cancelling the body reaches that deep
    private final Set<Task<?>> running = new LinkedHashSet<>();
    private final List<Throwable> failures = new ArrayList<>();
    private final Consumer<Future<?>> onChildDone = this::childDone;
    private final TaskScope dumpView = new DumpView();
    private State state = State.OPEN;
    private boolean aborting;
    private String abortReason;
    private boolean cancelledParent;      // run form: we cancelled the body, and must take it back with uncancel()
    private boolean cancelledFromOutside; // someone else cancelled the parent while the group was open
    private Future<Void> allEnded;        // what close() awaits; completed by the last child to end
    private TimerHandle graceTimer;      // while shutting down: warns of children that ignore their cancellation

    private TaskGroup(Task<?> parent, boolean cancelsBody) {
        this.parent = parent;
        this.loop = parent.loop();
        this.cancelsBody = cancelsBody;
        this.shieldDepthAtOpen = parent.shieldDepth();
    }

    /**
     * Open a group whose children belong to the current task; close it with try-with-resources.
     *
     * @throws InvalidStateException outside a task
     */
    public static TaskGroup open() {
        return new TaskGroup(currentTask("TaskGroup.open()"), false);
    }

    /**
     * Run the body with a new group, then await every child and return the body's value. A child's failure cancels
     * the body and the other children, and is what this throws (the others suppressed on it); a body's failure cancels
     * the children and is thrown with their failures suppressed. The body's failures come out as themselves; a child's
     * as itself if unchecked, in a CompletionException if checked.
     *
     * @throws E                     what the body throws
     * @throws CancellationException if the calling task was cancelled from outside (after the children ended)
     * @throws InvalidStateException outside a task
     */
    public static <T, E extends Exception> T run(GroupBody<T, E> body) throws E {
        Objects.requireNonNull(body, "body");
        TaskGroup group = new TaskGroup(currentTask("TaskGroup.run()"), true);
        T value;
        try {
            value = body.run(group);
        } catch (Throwable bodyFailure) {
            group.closeAfterBody(bodyFailure);
            throw bodyFailure; // E or unchecked, as itself
        }
        group.closeAfterBody(null);
        return value;
    }

    /**
     * The end of {@link #run}: await the children, then throw what should come out instead of the body's failure, or
     * return (the body's failure, if any, with the rest suppressed on it, is then the caller's to rethrow).
     */
    private void closeAfterBody(Throwable bodyFailure) {
        if (bodyFailure != null && !aborting) {
            abort("the body of TaskGroup.run failed: " + bodyFailure);
        }
        CancellationException cancelledWhileClosing = awaitChildren();
        if (cancelledWhileClosing == null && bodyFailure == null) {
            cancelledWhileClosing = standingCancellation();
        }
        // The body's CancellationException is the group's own doing, to be replaced by the failure that caused it,
        // only if no cancellation from outside is left once the group's request is taken back.
        boolean ourCancellation = bodyFailure instanceof CancellationException && cancelledParent
                && !cancelledFromOutside && !failures.isEmpty();
        if (bodyFailure != null && !ourCancellation) {
            ScopeSupport.suppress(bodyFailure, failures);
            if (cancelledWhileClosing != null) {
                bodyFailure.addSuppressed(cancelledWhileClosing);
            }
            return;
        }
        if (cancelledWhileClosing != null) {
            throw ScopeSupport.suppressing(cancelledWhileClosing, failures);
        }
        if (!failures.isEmpty()) {
            throw ScopeSupport.firstWithRest(failures);
        }
    }

    private static Task<?> currentTask(String operation) {
        return ScopeSupport.currentTask(operation, "a group's children belong to the task that opens it");
    }

    /** Start the body as a child task and return it. Confined. @throws InvalidStateException once closed */
    public <T> Task<T> spawn(Body<T, ?> body) {
        return spawn(null, body);
    }

    /** Start a child without a value. Confined. @throws InvalidStateException once closed */
    public Task<Void> spawn(VoidBody<?> body) {
        return spawn(null, Objects.requireNonNull(body, "body").returningNull());
    }

    /** Start a named child without a value. Confined. @throws InvalidStateException once closed */
    public Task<Void> spawn(String name, VoidBody<?> body) {
        return spawn(name, Objects.requireNonNull(body, "body").returningNull());
    }

    /**
     * Start a named child task (null: a generated name) and return it. Confined.
     *
     * @throws InvalidStateException once closed
     */
    public <T> Task<T> spawn(String name, Body<T, ?> body) {
        Objects.requireNonNull(body, "body");
        if (state == State.CLOSED) {
            throw new InvalidStateException("this TaskGroup is closed and takes no more children: spawn them "
                    + "inside its try block (or TaskGroup.run body), or open a new group");
        }
        Task<T> child = loop.createTask(name, body);
        child.spawnedInto(dumpView);
        running.add(child);
        child.addDoneCallback(onChildDone);
        if (aborting) {
            child.cancel("the TaskGroup is shutting down (" + abortReason + ")"); // never runs its body
        }
        return child;
    }

    /**
     * Shut the group down: cancel every child still running, and start later ones cancelled. Cancelled children are
     * not failures, so {@link #close()} returns normally once they have ended, unless one fails meanwhile. Confined.
     */
    public void cancel() {
        if (state != State.CLOSED && !aborting) {
            abort("TaskGroup.cancel() was called");
        }
    }

    /**
     * Await every child; see the class comment for what a failure or a cancellation does. Idempotent. Confined to the
     * task that opened the group.
     *
     * @throws ChildFailedException  if children failed
     * @throws CancellationException if the task was cancelled while this waited (child failures suppressed on it)
     * @throws InvalidStateException if called from another task, or outside any
     */
    @Override
    public void close() {
        Task<?> caller = Task.currentOrNull();
        if (caller != parent) {
            String where = caller == null ? "outside any task" : "from task '" + caller.name() + "'";
            throw new InvalidStateException("close the TaskGroup in the task that opened it, '" + parent.name()
                    + "'; it was called " + where);
        }
        CancellationException cancelled = awaitChildren();
        if (cancelled == null) {
            cancelled = standingCancellation();
        }
        if (cancelled != null) {
            throw ScopeSupport.suppressing(cancelled, failures);
        }
        if (!failures.isEmpty()) {
            throw new ChildFailedException(failures);
        }
    }

    /**
     * Wait until no child is left. A cancellation of the parent, standing now or arriving meanwhile, cancels the
     * children, which are then awaited shielded (cancellation is level-triggered: an unshielded await would throw at
     * once again); the parent's CancellationException is returned once they have all ended, to be thrown.
     */
    private CancellationException awaitChildren() {
        if (state == State.CLOSED) {
            return null;
        }
        state = State.CLOSING;
        if (cancelledParent) {
            parent.uncancel(); // the request the group made to stop the body is handled by now
        }
        if (parent.isCancelRequested()) {
            cancelledFromOutside = true;
            if (!aborting) {
                abort("the task that opened the group is being cancelled");
            }
        }
        CancellationException cancelled = null;
        while (!running.isEmpty()) {
            allEnded = loop.createFuture();
            if (cancelledFromOutside) {
                parent.shielded(() -> allEnded.await()); // the children are stopping: wait for every one of them
                continue;
            }
            try {
                allEnded.await();
            } catch (CancellationException e) {
                cancelled = e;
                cancelledFromOutside = true;
                if (!aborting) {
                    abort("the task that opened the group was cancelled");
                }
            }
        }
        allEnded = null;
        state = State.CLOSED;
        return cancelled;
    }

    /**
     * The parent's cancellation if one from outside still stands once the children have ended and nothing has
     * delivered it yet, as what the scope must throw; else null.
     */
    private CancellationException standingCancellation() {
        if (!cancelledFromOutside) {
            return null;
        }
        try {
            parent.checkCancelled();
            return null;
        } catch (CancellationException e) {
            return e;
        }
    }

    /** The done-callback of every child. On the loop. */
    private void childDone(Future<?> child) {
        running.remove(child);
        if (running.isEmpty()) {
            if (graceTimer != null) {
                graceTimer.cancel();
            }
            if (allEnded != null && !allEnded.isDone()) {
                allEnded.setResult(null);
            }
        }
        if (child.isCancelled()) {
            return;
        }
        Throwable failure = child.exception();
        if (failure == null) {
            return;
        }
        failures.add(failure);
        if (parent.isDone()) {
            loop.callExceptionHandler(new UnhandledError(child + " failed after '" + parent.name()
                    + "', the task that opened its TaskGroup, ended: close the group before that task ends", failure));
            return;
        }
        if (!aborting) {
            abort(child + " failed");
        }
        if (cancelsBody && state == State.OPEN && !cancelledParent) {
            cancelledParent = true;
            parent.cancelAtDepth("TaskGroup.run: " + child + " failed, so the body is cancelled", shieldDepthAtOpen);
        }
    }

    private void abort(String reason) {
        aborting = true;
        abortReason = reason;
        for (Task<?> child : List.copyOf(running)) {
            child.cancel("the TaskGroup is shutting down (" + reason + ")");
        }
        if (!running.isEmpty()) {
            graceTimer = CancellationGrace.watch(loop, running, "the TaskGroup of '" + parent.name() + "'");
        }
    }

    /** The group as a task dump shows it: the parent of its children, joined while {@code close()} awaits them. */
    private final class DumpView implements TaskScope {
        @Override
        public String scopeKind() {
            return "TaskGroup";
        }

        @Override
        public Task<?> scopeOwner() {
            return parent;
        }

        @Override
        public boolean isJoining() {
            return state == State.CLOSING;
        }

        @Override
        public String toString() {
            return TaskGroup.this.toString();
        }
    }

    @Override
    public String toString() {
        return "TaskGroup[of " + parent.name() + ", " + state.name().toLowerCase(Locale.ROOT)
                + (aborting ? ", shutting down" : "") + ", children running=" + running.size() + "]";
    }
}
