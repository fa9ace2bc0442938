package dev.weft.net;

import dev.weft.loop.BrokenResourceException;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.TimerHandle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.Inet6Address;
import java.net.InetSocketAddress;
import java.net.NoRouteToHostException;
import java.net.SocketAddress;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletionException;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Connecting to every address of a name, as RFC 8305 (Happy Eyeballs v2) says: the addresses are
 * {@linkplain #interleave interleaved} by family (§4), the first attempt starts at once, and each next one starts when
 * the one before it fails or {@link #DEFAULT_ATTEMPT_DELAY 250 ms} after it started, whichever comes first (§5). The
 * first attempt that connects wins; every other one is cancelled, and one that connects after the winner anyway is
 * discarded (its connection aborted). When every attempt fails, the error has the type of the first failure, names
 * the target and every address with its failure, and carries the first failure as its cause and the others as
 * suppressed.
 *
 * <p>{@link Streams#openConnection(String, int)} uses it; it is public so that other connectors (TLS, HTTP) and tests
 * can race their own attempts. Confined to the loop; {@link #race} runs in a task.
 */
public final class HappyEyeballs {
    /** RFC 8305 §5's recommended "Connection Attempt Delay". */
    public static final Duration DEFAULT_ATTEMPT_DELAY = Duration.ofMillis(250);

    private HappyEyeballs() {
    }

    /**
     * RFC 8305 §4 ordering: IPv6 first if there is any, then IPv4, alternating, each family in the order given;
     * addresses of other kinds (Unix domain sockets) follow in their order.
     */
    public static List<SocketAddress> interleave(List<? extends SocketAddress> addresses) {
        List<SocketAddress> v6 = new ArrayList<>();
        List<SocketAddress> v4 = new ArrayList<>();
        List<SocketAddress> other = new ArrayList<>();
        for (SocketAddress address : addresses) {
            if (address instanceof InetSocketAddress inet && inet.getAddress() != null) {
                (inet.getAddress() instanceof Inet6Address ? v6 : v4).add(address);
            } else {
                other.add(address);
            }
        }
        List<SocketAddress> ordered = new ArrayList<>(addresses.size());
        for (int i = 0; i < Math.max(v6.size(), v4.size()); i++) {
            if (i < v6.size()) {
                ordered.add(v6.get(i));
            }
            if (i < v4.size()) {
                ordered.add(v4.get(i));
            }
        }
        ordered.addAll(other);
        return ordered;
    }

    /**
     * Race attempts at the addresses, in the order given (interleave them first), staggered by the delay. Suspends the
     * calling task until one wins or all have failed.
     *
     * @param target       what the error messages name, such as {@code example.com:443}
     * @param attemptDelay how long an attempt has before the next one starts beside it (RFC 8305: 250 ms)
     * @param timeout      for the whole race; null or zero: none (each attempt may still have its own)
     * @param attempt      starts one attempt; its future fails with an IOException if the address does not connect,
     *                     and is cancelled when the attempt is no longer wanted
     * @param discard      what to do with a result that arrives after the winner (close it)
     * @return the winner's result
     * @throws IOException                if every attempt fails: typed as the first failure
     * @throws SocketTimeoutException     if the timeout passes first, naming the target, the limit and (when more
     *                                    than the target's one address was tried) the failures so far
     * @throws CancellationException      if the task is cancelled; every attempt is cancelled too
     */
    public static <C> C race(EventLoop loop, String target, List<? extends SocketAddress> addresses,
                             Duration attemptDelay, Duration timeout, Function<SocketAddress, Future<C>> attempt,
                             Consumer<? super C> discard) throws IOException {
        Objects.requireNonNull(target, "target");
        Objects.requireNonNull(attempt, "attempt");
        Objects.requireNonNull(discard, "discard");
        if (addresses.isEmpty()) {
            throw new IllegalArgumentException("no address to connect to for " + target);
        }
        if (attemptDelay == null || attemptDelay.isNegative()) {
            throw new IllegalArgumentException("the attempt delay must be zero or positive: " + attemptDelay);
        }
        Race<C> race = new Race<>(loop, target, List.copyOf(addresses), attemptDelay, timeout, attempt, discard);
        Future<C> result = race.start();
        try {
            return result.await();
        } catch (CompletionException e) {
            if (e.getCause() instanceof IOException io) {
                throw io;
            }
            throw e;
        } finally {
            race.finish(); // at once: the result's own callbacks run a loop iteration after this task resumes
        }
    }

    /** The state of one race; every method runs on the loop. */
    private static final class Race<C> {
        private final EventLoop loop;
        private final String target;
        private final List<SocketAddress> addresses;
        private final Duration attemptDelay;
        private final Duration timeout;
        private final Function<SocketAddress, Future<C>> attempt;
        private final Consumer<? super C> discard;
        private final Throwable[] failures;
        private final List<Future<C>> pending = new ArrayList<>();
        private final Future<C> result;
        private int next;
        private TimerHandle stagger;
        private TimerHandle deadline;

        Race(EventLoop loop, String target, List<SocketAddress> addresses, Duration attemptDelay, Duration timeout,
             Function<SocketAddress, Future<C>> attempt, Consumer<? super C> discard) {
            this.loop = loop;
            this.target = target;
            this.addresses = addresses;
            this.attemptDelay = attemptDelay;
            this.timeout = timeout;
            this.attempt = attempt;
            this.discard = discard;
            this.failures = new Throwable[addresses.size()];
            this.result = loop.createFuture();
        }

        Future<C> start() {
            result.addDoneCallback(done -> finish());
            if (timeout != null && !timeout.isZero() && !timeout.isNegative()) {
                deadline = loop.callLater(timeout, this::timedOut);
            }
            startNext();
            return result;
        }

        private void startNext() {
            if (stagger != null) {
                stagger.cancel();
                stagger = null;
            }
            if (result.isDone()) {
                return;
            }
            if (next >= addresses.size()) {
                if (pending.isEmpty()) {
                    result.setException(failure());
                }
                return;
            }
            int index = next++;
            Future<C> started;
            try {
                started = attempt.apply(addresses.get(index));
            } catch (UncheckedIOException e) {
                failed(index, e.getCause());
                return;
            } catch (RuntimeException e) {
                result.setException(e); // a misuse (an unresolved address, an option the backend lacks)
                return;
            }
            pending.add(started);
            if (next < addresses.size()) {
                stagger = loop.callLater(attemptDelay, this::startNext);
            }
            started.addDoneCallback(done -> attemptDone(index, done));
        }

        private void attemptDone(int index, Future<C> done) {
            pending.remove(done);
            if (done.isCancelled()) {
                if (!result.isDone()) {
                    failed(index, new CancellationException("the attempt at " + describe(index) + " was cancelled"));
                }
                return;
            }
            Throwable error = done.exception();
            if (error == null) {
                C value = done.result();
                if (result.isDone()) {
                    discard.accept(value); // connected after the winner: not wanted
                } else {
                    result.setResult(value);
                }
                return;
            }
            if (!(error instanceof IOException || error instanceof UncheckedIOException)) {
                if (!result.isDone()) {
                    result.setException(error);
                }
                return;
            }
            failed(index, error instanceof UncheckedIOException unchecked ? unchecked.getCause() : error);
        }

        private void failed(int index, Throwable error) {
            failures[index] = error;
            startNext(); // a failure starts the next attempt at once (RFC 8305 §5)
        }

        private void timedOut() {
            deadline = null;
            if (result.isDone()) {
                return;
            }
            SocketTimeoutException timedOut = SocketErrors.connectTimedOut(target, timeout);
            List<Throwable> seen = new ArrayList<>();
            boolean oneAddressNamedAlready = addresses.size() == 1 && target.equals(describe(0));
            if (!oneAddressNamedAlready) {
                StringBuilder tried = new StringBuilder(timedOut.getMessage()).append(" (tried ");
                for (int i = 0; i < next; i++) {
                    tried.append(i == 0 ? "" : "; ").append(describe(i)).append(": ")
                            .append(failures[i] == null ? "still connecting" : failures[i].getMessage());
                }
                timedOut = new SocketTimeoutException(tried.append(")").toString());
            }
            for (int i = 0; i < next; i++) {
                if (failures[i] != null) {
                    seen.add(failures[i]);
                }
            }
            seen.forEach(timedOut::addSuppressed);
            result.setException(timedOut);
        }

        /** The race is over, won, lost or cancelled: stop everything still going. Idempotent. */
        void finish() {
            if (stagger != null) {
                stagger.cancel();
                stagger = null;
            }
            if (deadline != null) {
                deadline.cancel();
                deadline = null;
            }
            for (Future<C> running : List.copyOf(pending)) {
                running.cancel("another attempt to connect to " + target + " won, or the race ended");
            }
        }

        private String describe(int index) {
            return Addresses.format(addresses.get(index));
        }

        private Throwable failure() {
            List<SocketAddress> tried = new ArrayList<>();
            List<Throwable> errors = new ArrayList<>();
            for (int i = 0; i < failures.length; i++) {
                if (failures[i] != null) {
                    tried.add(addresses.get(i));
                    errors.add(failures[i]);
                }
            }
            return connectFailure(target, tried, errors);
        }
    }

    /**
     * One error for every failed address, typed as the first failure and naming the target, so that callers can
     * catch ConnectException for "refused" whether one address was tried or three.
     */
    static Throwable connectFailure(String target, List<SocketAddress> tried, List<Throwable> failures) {
        Throwable first = failures.getFirst();
        StringBuilder message = new StringBuilder("cannot connect to ").append(target);
        if (failures.size() == 1) {
            String reason = String.valueOf(first.getMessage());
            if (reason.contains(target)) {
                return first; // it names the target already, and has the backend's exception as its cause
            }
            message.append(": ").append(reason);
        } else {
            message.append(" at any of its ").append(failures.size()).append(" addresses:");
            for (int i = 0; i < failures.size(); i++) {
                message.append(i == 0 ? " " : "; ").append(Addresses.format(tried.get(i))).append(": ")
                        .append(failures.get(i).getMessage());
            }
        }
        String text = message.toString();
        Throwable error = switch (first) {
            case ConnectException e -> new ConnectException(text);
            case NoRouteToHostException e -> new NoRouteToHostException(text);
            case SocketTimeoutException e -> new SocketTimeoutException(text);
            case BrokenResourceException e -> new BrokenResourceException(text, e.getCause());
            default -> new IOException(text);
        };
        if (!(error instanceof BrokenResourceException)) {
            error.initCause(first); // a BrokenResourceException keeps the I/O error under it as its cause
        }
        for (Throwable other : failures.subList(1, failures.size())) {
            error.addSuppressed(other);
        }
        return error;
    }
}
