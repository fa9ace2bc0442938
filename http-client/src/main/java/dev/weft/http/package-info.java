/**
 * An aiohttp-like HTTP/1.1 client on any Weft loop: a call that waits suspends the calling task.
 *
 * <p>It is written against {@code loop-api} only (and Jackson for JSON), never a backend or Netty, so it runs unchanged
 * on nio, epoll, io_uring and vthreads, and shows library authors how to target the SPI. Its parts, one file each:
 * <ul>
 *   <li>the HTTP/1.1 codec: an incremental {@code ResponseParser} that works on the transport's buffers (a body is
 *       handed on as slices of them, not copies), the request encoder, chunked framing, gzip and deflate decoding;
 *       Weft's own, because the kept Java parsers belong to frameworks (Netty's codec, Jetty's, Apache's core) that
 *       would bring their buffers and threads with them, and none is incremental over plain {@code ByteBuffer}s;</li>
 *   <li>the connection pool: total and per-host limits, a bounded wait queue with its own timeout, keep-alive
 *       expiry, never a connection reused after a request that did not end cleanly;</li>
 *   <li>the session, requests and responses that users see;</li>
 *   <li>interceptors around each send, opt-in retries per hop, and tracing hooks for every step;</li>
 *   <li>the WebSocket client (RFC 6455, permessage-deflate of RFC 7692) over the session's connections.</li>
 * </ul>
 */
package dev.weft.http;
