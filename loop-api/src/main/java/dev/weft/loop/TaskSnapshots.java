package dev.weft.loop;

import dev.weft.dump.Frame;
import dev.weft.dump.LoopDump;
import dev.weft.dump.ScopeEntry;
import dev.weft.dump.TaskDump;
import dev.weft.dump.TaskEntry;
import dev.weft.dump.TaskState;

import java.time.Instant;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Takes task dumps. A loop's tasks are confined to it, so a running loop is asked to read them itself, between two
 * callbacks; a loop that does not answer within a second (blocked, the very case a dump is wanted for) has them read
 * from here while it runs, and its dump says so ({@link LoopDump#consistent()}). Nothing is kept for dumps but what
 * tasks keep anyway: the future each one awaits, and two fields set at spawn (the spawning task's number, the scope).
 */
final class TaskSnapshots {
    private static final long ANSWER_NANOS = TimeUnit.SECONDS.toNanos(1);

    private TaskSnapshots() {
    }

    /** Every open loop's dump. All are asked at once: loops that are blocked cost one wait, not one each. */
    static TaskDump ofAll() {
        List<AbstractEventLoop> open = LiveLoops.snapshot();
        List<CompletableFuture<LoopDump>> answers = new ArrayList<>(open.size());
        for (AbstractEventLoop loop : open) {
            answers.add(ask(loop));
        }
        long deadline = System.nanoTime() + ANSWER_NANOS;
        List<LoopDump> loops = new ArrayList<>(open.size());
        for (int i = 0; i < open.size(); i++) {
            LoopDump dump = collect(open.get(i), answers.get(i), deadline);
            if (dump != null) {
                loops.add(dump);
            }
        }
        return dump(loops);
    }

    static TaskDump dump(List<LoopDump> loops) {
        return new TaskDump(ProcessHandle.current().pid(), Instant.now(), loops);
    }

    /** The loop's dump, or null if it is closed. */
    static LoopDump of(AbstractEventLoop loop) {
        return collect(loop, ask(loop), System.nanoTime() + ANSWER_NANOS);
    }

    /** The loop's dump to come (null if it is closed): read now if it is idle or this is its thread, else by it. */
    private static CompletableFuture<LoopDump> ask(AbstractEventLoop loop) {
        if (loop.isClosed()) {
            return CompletableFuture.completedFuture(null);
        }
        if (!loop.isRunning() || loop.inLoop()) {
            return CompletableFuture.completedFuture(read(loop, true));
        }
        CompletableFuture<LoopDump> answer = new CompletableFuture<>();
        try {
            loop.callSoonThreadsafe(() -> {
                if (!answer.isDone()) { // else the caller gave up waiting: nobody wants it
                    answer.complete(read(loop, true));
                }
            });
        } catch (RejectedExecutionException | LoopClosedException e) {
            answer.complete(null);
        }
        return answer;
    }

    /** The loop's answer by the deadline; else its tasks read while it runs, unless it closed meanwhile. */
    private static LoopDump collect(AbstractEventLoop loop, CompletableFuture<LoopDump> answer, long deadline) {
        try {
            return answer.get(Math.max(0, deadline - System.nanoTime()), TimeUnit.NANOSECONDS);
        } catch (TimeoutException | ExecutionException e) {
            answer.cancel(false);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            answer.cancel(false);
        }
        return loop.isClosed() ? null : read(loop, false);
    }

    /** Read the loop's tasks: on the loop (or while it is idle) if consistent, else while it runs. */
    private static LoopDump read(AbstractEventLoop loop, boolean consistent) {
        List<Task<?>> live = loop.liveTaskList();
        Map<TaskScope, String> scopeIds = new IdentityHashMap<>();
        Map<Task<?>, String> joined = new IdentityHashMap<>(); // a joining scope's owner awaits that scope
        List<ScopeEntry> scopes = new ArrayList<>();
        for (Task<?> task : live) {
            TaskScope scope = task.scope();
            if (scope != null && !scopeIds.containsKey(scope)) {
                String id = loop.id() + ":s" + (scopeIds.size() + 1);
                scopeIds.put(scope, id);
                Task<?> owner = scope.scopeOwner(); // null for a library's scope opened outside any task
                boolean joining = scope.isJoining();
                scopes.add(new ScopeEntry(id, scope.scopeKind(), owner == null ? null : id(owner), joining,
                        String.valueOf(scope)));
                if (joining && owner != null) {
                    joined.put(owner, id);
                }
            }
        }
        Task<?> current = Task.currentOrNull();
        List<TaskEntry> tasks = new ArrayList<>(live.size());
        for (Task<?> task : live) {
            Future<?> awaited = task.awaiting();
            String awaits = awaited instanceof Task<?> other ? id(other) : awaited != null ? joined.get(task) : null;
            StackTraceElement[] stack = task.stackTrace();
            TaskState state = stateOf(task, current, awaited, stack);
            tasks.add(new TaskEntry(id(task), task.name(), state,
                    task.spawnedBy() > 0 ? loop.id() + ":" + task.spawnedBy() : null,
                    task.scope() == null ? null : scopeIds.get(task.scope()), awaits,
                    state == TaskState.RUNNING ? null : suspendedIn(stack), programFrames(stack)));
        }
        return new LoopDump(loop.id(), loop.backendName(), loop.taskMode().name().toLowerCase(Locale.ROOT),
                loop.isRunning(), consistent, tasks, scopes);
    }

    static String id(Task<?> task) {
        return task.owner.id() + ":" + task.number();
    }

    /**
     * Where the task is. Read on its loop, no task but the dumping one runs; read while a blocked loop runs, the task
     * that holds the loop is the one to find: in baton mode it holds the baton (wherever it is blocked), carried it is
     * the one mounted on the loop's thread, the only live one whose stack does not end in a yield.
     */
    private static TaskState stateOf(Task<?> task, Task<?> current, Future<?> awaited, StackTraceElement[] stack) {
        if (task.isDone()) {
            return TaskState.DONE;
        }
        if (task == current || task.holdsBaton()) {
            return TaskState.RUNNING;
        }
        if (awaited != null) {
            return TaskState.SUSPENDED;
        }
        Thread.State thread = task.threadState();
        if (task.owner.taskMode() == TaskMode.BATON || thread == Thread.State.NEW || stack.length == 0) {
            return TaskState.SCHEDULED; // waiting for the baton, or for its first step
        }
        if (thread == Thread.State.RUNNABLE) {
            return yielded(stack) ? TaskState.SCHEDULED : TaskState.RUNNING;
        }
        return TaskState.SUSPENDED; // parked outside an await (Thread.sleep, a JDK socket): it gave its loop up
    }

    /** Whether an unmounted virtual thread's stack ends in the yield of its continuation: it waits to be run. */
    private static boolean yielded(StackTraceElement[] stack) {
        String top = stack[0].getClassName();
        return top.equals("jdk.internal.vm.Continuation") || top.equals("java.lang.VirtualThread");
    }

    /**
     * The Weft call a task is suspended in: under every await lies a run of Weft's frames (the task machinery, then
     * the call the program made); the outermost of that run, before the program's first frame.
     */
    private static Frame suspendedIn(StackTraceElement[] stack) {
        StackTraceElement call = null;
        for (StackTraceElement element : stack) {
            if (Frame.isJdk(element)) {
                continue;
            }
            if (!Frame.isWeft(element)) {
                break;
            }
            call = element;
        }
        return call == null ? null : Frame.of(call);
    }

    /** The program's frames, innermost first: Weft's and the JDK's left out. */
    private static List<Frame> programFrames(StackTraceElement[] stack) {
        List<Frame> frames = new ArrayList<>();
        for (StackTraceElement element : stack) {
            if (!Frame.isJdk(element) && !Frame.isWeft(element) && frames.size() < TaskEntry.MAX_FRAMES) {
                frames.add(Frame.of(element));
            }
        }
        return frames;
    }
}
