package dev.weft.samples;

import java.util.List;
import java.util.function.Consumer;

/**
 * One way of downloading flags, as the flag examples of Fluent Python compare them: each flag's result goes to
 * {@code done} as it comes, on the caller's thread or task (so a tally needs no locking).
 */
interface FlagDownloader extends AutoCloseable {
    /**
     * Download the flag of every code in the list (a code may come again: rounds are one list, with no wait between
     * them), at most the concurrency at once; failures are results, not throws.
     */
    void download(List<String> codes, Consumer<FlagResult> done) throws Exception;

    /** Release connections and threads. */
    @Override
    void close();
}
