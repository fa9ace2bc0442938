/**
 * Loop health over JMX: each loop's lag (an HdrHistogram of {@link dev.weft.loop.LagProbe}'s samples), tasks alive,
 * callbacks and I/O events per second, and open transports, as the MBean {@code dev.weft:type=Loop,id=N,backend=NAME}.
 * Turn it on for every loop with {@code -Dweft.metrics=true}, or for one with {@link dev.weft.metrics.Metrics#register}.
 * The same counters, without JMX, are {@link dev.weft.loop.EventLoop#stats()}.
 */
package dev.weft.metrics;
