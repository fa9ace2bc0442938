package dev.weft.samples;

import java.util.List;
import java.util.function.Consumer;

/**
 * One way of downloading a round of flags, as the flag examples of Fluent Python compare them: each flag's result
 * goes to {@code done} as it comes, on the caller's thread or task (so a tally needs no locking).
 */
interface FlagDownloader extends AutoCloseable {
    /** Download every code's flag from base ({@code http://host:port/flags/}); failures are results, not throws. */
    void round(List<String> codes, Consumer<FlagResult> done) throws Exception;

    /** Release connections and threads. */
    @Override
    void close();
}
