package dev.weft.http;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * What a connection pool holds at one moment, per origin and in all: exact, not sampled.
 *
 * @param idle       open connections waiting to be reused
 * @param busy       connections leased to requests, and connections being connected (a slot is counted from the
 *                   moment a connect starts)
 * @param connecting of the busy ones, those still being connected
 * @param waiting    tasks waiting for a connection
 * @param hosts      the same numbers per origin, for every origin with any of them, in the order of the origins'
 *                   names
 */
public record PoolStats(int idle, int busy, int connecting, int waiting, Map<Origin, HostStats> hosts) {

    /** What the pool holds for one origin. */
    public record HostStats(int idle, int busy, int connecting, int waiting) {
        /** An origin the pool holds nothing for. */
        public static final HostStats NONE = new HostStats(0, 0, 0, 0);

        /** The sum of both: one origin's numbers by two routes (directly and through a proxy, say). */
        public HostStats plus(HostStats other) {
            return new HostStats(idle + other.idle, busy + other.busy, connecting + other.connecting,
                    waiting + other.waiting);
        }

        /** Idle and busy: the connections this origin counts against {@link PoolLimits#perHost()}. */
        public int total() {
            return idle + busy;
        }
    }

    public PoolStats {
        hosts = Collections.unmodifiableMap(new LinkedHashMap<>(hosts)); // keeps the order given
    }

    /** Idle and busy: the connections open or being opened, counted against {@link PoolLimits#total()}. */
    public int total() {
        return idle + busy;
    }

    /** The numbers of one origin; {@link HostStats#NONE} for an origin the pool holds nothing for. */
    public HostStats host(Origin origin) {
        return hosts.getOrDefault(origin, HostStats.NONE);
    }

    /** Whether the pool holds no connection and no task waits: what a closed pool, or an unused one, shows. */
    public boolean isEmpty() {
        return idle == 0 && busy == 0 && waiting == 0;
    }
}
