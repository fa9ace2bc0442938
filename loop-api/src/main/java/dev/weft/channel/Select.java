package dev.weft.channel;

import dev.weft.loop.BlockingOnLoopException;
import dev.weft.loop.Future;
import dev.weft.loop.Tasks;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Go's {@code select}: wait until one of several cases is ready — a receive, a send, a future or stage completing, a
 * timeout — do that one, and say which ({@link Selected}, for a {@code switch}):
 *
 * <pre>{@code
 * switch (Select.of(Select.receive(jobs), Select.receive(quit), Select.timeout(Duration.ofMillis(500)))) {
 *     case Received(var c, var job) when c == jobs -> run((Job) job);
 *     case Received(var c, var signal) -> { return; }
 *     case TimedOut() -> idle();
 *     default -> { return; } // Closed: a channel ended
 * }
 * }</pre>
 *
 * <ul>
 *   <li><b>Fair.</b> When several cases are ready, each is chosen with equal chance: the select looks at them in a
 *       random order, so no channel starves another.</li>
 *   <li><b>Atomic.</b> A select takes from, or gives to, exactly one channel. It looks at all its channels under
 *       their locks (never waiting for one while holding another, so selects never deadlock); if none is ready it
 *       queues one waiter on every channel, and the first side to complete that waiter wins, in one compare-and-set:
 *       every other registration is then withdrawn untouched.</li>
 *   <li><b>Cancellation-safe.</b> A select that times out ({@link Selected.TimedOut}) has taken and given nothing;
 *       so has one whose task is cancelled (whose thread is interrupted) before a case completed, and it throws the
 *       CancellationException. A case that completed first stands: the select returns it, and the cancellation is
 *       thrown by the task's next wait.</li>
 *   <li><b>Across loops and threads,</b> as {@link Channel}: a task suspends, a thread that runs no loop blocks.</li>
 * </ul>
 *
 * <p>A receive case on a closed and drained channel is ready, with {@link Selected.Closed}: the end is news a select
 * must hear. A send case on a closed channel, or one closed while the select waits, is a bug, and throws
 * {@link SendOnClosedChannelException} whatever else is ready. A case object may be used in many selects.
 */
public final class Select {
    private static final Selected.TimedOut TIMED_OUT = new Selected.TimedOut();
    private static final Selected.Default DEFAULT = new Selected.Default();

    private Select() {
    }

    /**
     * Wait until one of the cases is ready, do it, and return what it did.
     *
     * @throws IllegalArgumentException      if there are no cases (it would wait forever), two default cases, or a
     *                                       default case with a timeout (which could never expire)
     * @throws SendOnClosedChannelException  if a send case's channel is closed, or is closed while this waits
     * @throws CancellationException         if the task is cancelled (the thread interrupted) before a case completed
     * @throws BlockingOnLoopException       if it has to wait on a loop thread outside a task
     */
    public static Selected of(Case... cases) {
        return of(Arrays.asList(cases));
    }

    /** {@link #of(Case...)} over a list of cases, for a select built at run time (over N channels, say). */
    public static Selected of(List<? extends Case> cases) {
        Case[] order = checked(cases);
        Duration timeout = shortestTimeout(order);
        boolean hasDefault = hasDefault(order);
        Tasks.checkCancelled();
        shuffle(order);
        Channel<?>[] channels = inLockOrder(order);
        Waiter waiter;
        Object[] registrations = new Object[order.length];
        lockAll(channels);
        try {
            for (Case each : order) {
                each.checkSendable();
            }
            for (Case each : order) {
                Selected ready = each.poll();
                if (ready != null) {
                    return ready;
                }
            }
            if (hasDefault) {
                return DEFAULT;
            }
            waiter = Waiter.forCaller("Select.of()");
            for (int i = 0; i < order.length; i++) {
                if (order[i].channel() != null) {
                    registrations[i] = order[i].register(waiter);
                }
            }
        } finally {
            unlockAll(channels);
        }
        try {
            // A future's callback is added on its loop, maybe another's: not under the locks, which guard channels
            // only. One that completed since the look above completes the waiter at once, as if it had been awaited.
            for (int i = 0; i < order.length; i++) {
                if (order[i].channel() == null) {
                    registrations[i] = order[i].register(waiter);
                }
            }
            return chosen(waiter.await(timeout, TIMED_OUT));
        } finally {
            for (int i = 0; i < order.length; i++) {
                order[i].withdraw(registrations[i]);
            }
        }
    }

    // ---- cases

    /** Receive from the channel: {@link Selected.Received}, or {@link Selected.Closed} once it is closed and drained. */
    public static <T> Case receive(Channel<T> channel) {
        return new Cases.Receive<>(Objects.requireNonNull(channel, "channel"));
    }

    /** Send the item on the channel: {@link Selected.Sent}. */
    public static <T> Case send(Channel<T> channel, T item) {
        return new Cases.Send<>(Objects.requireNonNull(channel, "channel"), Objects.requireNonNull(item, "item"));
    }

    /**
     * The future completing, however it ends: {@link Selected.Completed} with its outcome. The future may belong to
     * any loop; the select's callback on it is removed when the select ends.
     */
    public static <T> Case completion(Future<T> future) {
        return new Cases.FutureDone<>(Objects.requireNonNull(future, "future"));
    }

    /**
     * The stage completing, however it ends: {@link Selected.Completed} with its outcome. A stage has no way to
     * remove a callback, so each case made adds one to it, there until the stage completes. For a stage selected on
     * again and again (a shutdown signal, say), make the case once and use it in every select: a select that ends
     * leaves nothing on a case.
     */
    public static <T> Case completion(CompletionStage<T> stage) {
        return new Cases.StageDone<>(Objects.requireNonNull(stage, "stage"));
    }

    /**
     * Give up after the duration if no other case was ready: {@link Selected.TimedOut}. Timed on the waiting task's
     * loop clock (so virtual time applies), or the system's for a thread. A select with several uses the shortest.
     * Never chosen over a case that is ready when the select first looks. Beyond about 146 years
     * ({@code ChronoUnit.FOREVER.getDuration()}, say) it never expires.
     */
    public static Case timeout(Duration timeout) {
        return new Cases.Timeout(Objects.requireNonNull(timeout, "timeout"));
    }

    /** If no other case is ready when the select looks, do not wait: {@link Selected.Default}. */
    public static Case defaultCase() {
        return new Cases.Default();
    }

    /**
     * One case of a select, made by {@link Select}'s factory methods. The methods are the select's protocol: called
     * with every channel of the select locked, except {@link #withdraw}, and {@link #register} of a case without a
     * channel.
     */
    public abstract static class Case {
        Case() {
        }

        /** The channel whose lock the select must hold, or null. */
        Channel<?> channel() {
            return null;
        }

        /** Throw if this is a send on a closed channel: checked before any case is done, so the error is certain. */
        void checkSendable() {
        }

        /** What this case gets now, or null if it is not ready. */
        abstract Selected poll();

        /** Nothing is ready: wait with the waiter; returns what {@link #withdraw} needs, or null. */
        Object register(Waiter waiter) {
            return null;
        }

        /** The select is done: stop waiting (a no-op if the case completed the waiter). Called without the locks. */
        void withdraw(Object registration) {
        }

        /** For a case that completes the waiter with itself (no channel carried the result): what it got. */
        Selected completed() {
            throw new IllegalStateException(this + " never completes a select by itself");
        }
    }

    // ---- the machinery

    private static Case[] checked(List<? extends Case> cases) {
        Objects.requireNonNull(cases, "cases");
        if (cases.isEmpty()) {
            throw new IllegalArgumentException("a select needs at least one case: with none it would wait forever "
                    + "(Select.receive, send, completion, timeout, defaultCase)");
        }
        Case[] order = cases.toArray(Case[]::new); // a copy of our own, to shuffle
        int defaults = 0;
        for (Case each : order) {
            Objects.requireNonNull(each, "a select's case is null");
            defaults += each instanceof Cases.Default ? 1 : 0;
        }
        if (defaults > 1) {
            throw new IllegalArgumentException("a select takes one default case, not " + defaults);
        }
        if (defaults == 1 && shortestTimeout(order) != null) {
            throw new IllegalArgumentException("a select with a default case never waits, so its timeout could never "
                    + "expire: drop one of the two");
        }
        return order;
    }

    private static boolean hasDefault(Case[] cases) {
        for (Case each : cases) {
            if (each instanceof Cases.Default) {
                return true;
            }
        }
        return false;
    }

    /** The shortest timeout of the cases, or null if none has one. */
    private static Duration shortestTimeout(Case[] cases) {
        Duration shortest = null;
        for (Case each : cases) {
            if (each instanceof Cases.Timeout timeout && (shortest == null || timeout.duration.compareTo(shortest) < 0)) {
                shortest = timeout.duration;
            }
        }
        return shortest;
    }

    private static Selected chosen(Object result) {
        return switch (result) {
            case Selected selected -> selected;
            case Pending.Refused(Channel<?> channel) -> throw new SendOnClosedChannelException(channel);
            case Case completedItself -> completedItself.completed();
            default -> throw new IllegalStateException("a select was completed with " + result);
        };
    }

    /** Fisher–Yates: every order equally likely, so every ready case equally likely to be found first. */
    private static void shuffle(Case[] cases) {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        for (int i = cases.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            Case swap = cases[i];
            cases[i] = cases[j];
            cases[j] = swap;
        }
    }

    /** The cases' channels, each once, by creation number: the one order every select tries their locks in. */
    private static Channel<?>[] inLockOrder(Case[] cases) {
        Channel<?>[] channels = new Channel<?>[cases.length];
        int count = 0;
        for (Case each : cases) {
            Channel<?> channel = each.channel();
            if (channel == null) {
                continue;
            }
            int at = count; // insertion sort: a select has a handful of cases
            while (at > 0 && channels[at - 1].id > channel.id) {
                at--;
            }
            if (at > 0 && channels[at - 1] == channel) {
                continue;
            }
            System.arraycopy(channels, at, channels, at + 1, count - at);
            channels[at] = channel;
            count++;
        }
        return count == channels.length ? channels : Arrays.copyOf(channels, count);
    }

    /**
     * Lock every channel without ever waiting for one lock while holding another. A task that waits for a lock is
     * parked, and its loop runs on: had it kept a lock meanwhile, a callback of that loop touching the locked channel
     * would block the loop's thread on a lock that only the parked task — which that very thread must run — can let
     * go, and the loop would hang. So one lock is waited for holding nothing, the others are only tried; a busy one
     * makes the select let every lock go and wait for that one instead.
     */
    private static void lockAll(Channel<?>[] channels) {
        int waitFor = channels.length > 0 ? 0 : -1; // a select of futures and timeouts locks nothing
        while (waitFor >= 0) {
            channels[waitFor].lock();
            waitFor = tryLockOthers(channels, waitFor);
        }
    }

    /** With channels[held] locked, try to lock the others: -1 if all are locked, else the busy one (none held). */
    private static int tryLockOthers(Channel<?>[] channels, int held) {
        for (int i = 0; i < channels.length; i++) {
            if (i != held && !channels[i].lock.tryLock()) {
                for (int j = 0; j < i; j++) {
                    if (j != held) {
                        channels[j].lock.unlock();
                    }
                }
                channels[held].lock.unlock();
                return i;
            }
        }
        return -1;
    }

    /** Let every lock go, then wake whom the select completed under them (a sender or receiver it matched). */
    private static void unlockAll(Channel<?>[] channels) {
        List<Waiter[]> completed = List.of();
        for (int i = channels.length - 1; i >= 0; i--) {
            Waiter[] waiters = channels[i].release();
            if (waiters.length > 0) {
                completed = completed.isEmpty() ? new ArrayList<>() : completed;
                completed.add(waiters);
            }
        }
        for (Waiter[] waiters : completed) {
            Channel.wake(waiters);
        }
    }
}
