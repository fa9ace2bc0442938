package dev.weft.bench.http;

/**
 * An HTTP client under test, as {@link HttpLoad} drives it: opened once for a workload, then asked for runs of
 * requests, each run {@link Workload#concurrency()} requests in flight at a time, every body read whole and checked.
 * Opening and use are one call because a Weft session belongs to its loop: the runs have to happen inside it.
 */
interface LoadClient {
    /** Opens the client against {@code baseUrl}, lets {@code user} run batches, and closes it. */
    void open(String baseUrl, Workload workload, User user) throws Exception;

    /** What is done with an open client. */
    interface User {
        void use(Batch batch) throws Exception;
    }

    /** Runs {@code requests} requests of the workload and returns once every body has been read. */
    interface Batch {
        void run(int requests) throws Exception;
    }

    /** A response the benchmark does not count: a status other than 200 or an empty body. */
    static void check(String url, int status, int bodyLength) {
        if (status != 200 || bodyLength == 0) {
            throw new IllegalStateException("GET " + url + " answered " + status + " with " + bodyLength
                    + " bytes; expected 200 and a body");
        }
    }
}
