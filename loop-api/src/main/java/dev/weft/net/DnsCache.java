package dev.weft.net;

import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.Security;
import java.time.Duration;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.WeakHashMap;
import java.util.concurrent.CompletionException;

/**
 * Host name lookups of one loop, cached, never blocking the loop: a lookup runs on the loop's default executor
 * ({@link EventLoop#runInExecutor}); lookups of a name already being looked up share that one resolution; an answer
 * is kept for the TTL, a "not found" for the negative TTL, both on the loop's clock ({@link EventLoop#time()}).
 *
 * <p><b>The TTL is the JVM's cache policy, not the records' own.</b> The JDK's resolver ({@link InetAddress}) does not
 * expose the TTL of the DNS records it got, so the cache uses the same policy the JDK applies to its own cache: the
 * security properties {@code networkaddress.cache.ttl} (30 s when unset; -1 forever) and
 * {@code networkaddress.cache.negative.ttl} (10 s when unset), in seconds. Confined to its loop; a task calls
 * {@link #lookup}.
 */
public final class DnsCache {
    /** The JDK's default for {@code networkaddress.cache.ttl} when no security manager is installed. */
    static final Duration JVM_DEFAULT_TTL = Duration.ofSeconds(30);
    /** The JDK's default for {@code networkaddress.cache.negative.ttl}. */
    static final Duration JVM_DEFAULT_NEGATIVE_TTL = Duration.ofSeconds(10);

    private static final Map<EventLoop, DnsCache> PER_LOOP = Collections.synchronizedMap(new WeakHashMap<>());

    /** How a name becomes addresses: blocking; run off the loop. */
    @FunctionalInterface
    public interface HostLookup {
        InetAddress[] lookup(String host) throws UnknownHostException;
    }

    private final EventLoop loop;
    private final HostLookup resolver;
    private final long ttlNanos;         // < 0: forever
    private final long negativeTtlNanos; // < 0: forever
    private final Map<String, Entry> entries = new HashMap<>();

    /** One name: a resolution under way, or its answer with the time it expires. */
    private static final class Entry {
        final Future<InetAddress[]> resolution;
        long expiresAt;
        boolean expiring;

        Entry(Future<InetAddress[]> resolution) {
            this.resolution = resolution;
        }
    }

    /**
     * A cache for the loop with its own resolver and TTLs (tests, or a resolver other than the JDK's).
     *
     * @param ttl         how long an answer is kept; null: forever; zero: not kept (lookups under way still shared)
     * @param negativeTtl how long "not found" is kept; same conventions
     */
    public DnsCache(EventLoop loop, HostLookup resolver, Duration ttl, Duration negativeTtl) {
        this.loop = Objects.requireNonNull(loop, "loop");
        this.resolver = Objects.requireNonNull(resolver, "resolver");
        this.ttlNanos = ttl == null ? -1 : Math.max(0, ttl.toNanos());
        this.negativeTtlNanos = negativeTtl == null ? -1 : Math.max(0, negativeTtl.toNanos());
    }

    /** The loop's shared cache: the JDK's resolver, with the JVM's cache policy as TTLs. */
    public static DnsCache of(EventLoop loop) {
        return PER_LOOP.computeIfAbsent(loop, l -> new DnsCache(l, InetAddress::getAllByName,
                jvmPolicy("networkaddress.cache.ttl", JVM_DEFAULT_TTL),
                jvmPolicy("networkaddress.cache.negative.ttl", JVM_DEFAULT_NEGATIVE_TTL)));
    }

    /** A TTL security property in seconds: negative is forever (null here), unset or unreadable the default. */
    static Duration jvmPolicy(String property, Duration unset) {
        String value = Security.getProperty(property);
        if (value == null || value.isBlank()) {
            return unset;
        }
        try {
            long seconds = Long.parseLong(value.trim());
            return seconds < 0 ? null : Duration.ofSeconds(seconds);
        } catch (NumberFormatException e) {
            return unset;
        }
    }

    /**
     * The addresses of the name, from the cache while its answer is fresh. Suspends the task while it looks up.
     *
     * @throws UnknownHostException if the name is not found; the message names the host
     */
    public List<InetAddress> lookup(String host) throws UnknownHostException {
        Objects.requireNonNull(host, "host");
        Entry entry = entries.get(host);
        if (entry != null && entry.expiring && loop.time() - entry.expiresAt >= 0) {
            entries.remove(host, entry);
            entry = null;
        }
        if (entry == null) {
            Entry fresh = new Entry(loop.runInExecutor(null, () -> resolver.lookup(host)));
            entries.put(host, fresh);
            fresh.resolution.addDoneCallback(done -> settle(host, fresh));
            entry = fresh;
        }
        // Each caller awaits a future of its own: a cancelled caller must not cancel a resolution others share.
        Future<InetAddress[]> mine = loop.createFuture();
        entry.resolution.addDoneCallback(done -> {
            if (mine.isDone()) {
                return;
            }
            if (done.isCancelled()) {
                mine.cancel();
            } else if (done.exception() != null) {
                mine.setException(done.exception());
            } else {
                mine.setResult(done.result());
            }
        });
        try {
            return List.of(mine.await());
        } catch (CompletionException e) {
            if (e.getCause() instanceof UnknownHostException notFound) {
                String reason = notFound.getMessage();
                UnknownHostException named = new UnknownHostException(
                        reason != null && reason.contains(host) ? reason : host + ": " + reason);
                named.initCause(notFound);
                throw named;
            }
            throw e;
        }
    }

    /** A resolution ended: keep its answer for the TTL, "not found" for the negative TTL, anything else not at all. */
    private void settle(String host, Entry entry) {
        Future<InetAddress[]> done = entry.resolution;
        long keep;
        if (done.isCancelled()) {
            keep = 0;
        } else if (done.exception() == null) {
            keep = ttlNanos;
        } else if (done.exception() instanceof UnknownHostException) {
            keep = negativeTtlNanos;
        } else {
            keep = 0; // an executor failure, not an answer
        }
        if (keep == 0) {
            entries.remove(host, entry);
        } else if (keep > 0) {
            entry.expiresAt = loop.time() + keep;
            entry.expiring = true;
        }
    }

    /** Forget every answer (resolutions under way go on). */
    public void clear() {
        entries.entrySet().removeIf(e -> e.getValue().resolution.isDone());
    }
}
