package dev.weft.metrics;

/**
 * One loop's health, as JMX shows it under {@code dev.weft:type=Loop,id=N,backend=NAME}: what jconsole, VisualVM or
 * {@code jcmd} read. Lag is how late a callback submitted to run now actually ran ({@link dev.weft.loop.LagProbe}),
 * in milliseconds, over every sample since the loop was registered or since {@link #resetLag()}. Rates are per second
 * over the last second the loop ran; counts are totals since the loop was made.
 */
public interface LoopMXBean {

    /** The backend, as in {@code -Dweft.loop=NAME}. */
    String getBackend();

    /** How the loop's tasks get their threads: CARRIED or BATON. */
    String getTaskMode();

    /** The loop as its {@code toString()} names it, with its state. */
    String getLoop();

    /** The median lag, in milliseconds. */
    double getLagP50Millis();

    /** The 99th percentile of the lag, in milliseconds. */
    double getLagP99Millis();

    /** The 99.9th percentile of the lag, in milliseconds. */
    double getLagP999Millis();

    /** The largest lag seen, in milliseconds. */
    double getLagMaxMillis();

    /** How many lag samples the percentiles are drawn from. */
    long getLagSamples();

    /** Forget the lag samples so far: the percentiles start again from the next sample. */
    void resetLag();

    /** Tasks created and not yet ended. */
    int getTasksAlive();

    /** Tasks created since the loop was made. */
    long getTasksStarted();

    /** Callbacks run since the loop was made, task steps included. */
    long getCallbacks();

    /** Callbacks run per second, over the last second. */
    double getCallbacksPerSecond();

    /** I/O events the backend dispatched since the loop was made. */
    long getIoEvents();

    /** I/O events per second, over the last second. */
    double getIoEventsPerSecond();

    /** Stream and datagram transports open now. */
    int getOpenTransports();
}
