package io.netty.channel.epoll;

import io.netty.channel.Channel;

import java.io.IOException;

/**
 * Keeps a half-closed epoll socket in its loop's poll set: Weft's workaround for a Netty 4.2.18 defect, in Netty's
 * package because it needs a channel's protected {@code setFlag}.
 *
 * <p>The defect: when a channel's interest set becomes empty, Netty deletes the socket from epoll (netty/netty#16689)
 * but its registration still believes it added, so the next interest it sets is an {@code EPOLL_CTL_MOD} of a socket
 * epoll no longer holds, which fails with ENOENT. The set empties only once the peer has ended its side (Netty then
 * drops EPOLLIN and EPOLLRDHUP for good) and a write that had to wait for room has finished (EPOLLOUT); the next
 * write that has to wait then breaks the connection, mid-answer. A server answering a peer that sent its request and
 * EOF, with more than the sockets hold, in more than one burst, is enough (StreamWriteSuite has the case).
 *
 * <p>The pin: from the peer's EOF on, the interest set carries EPOLLET, so it is never empty. Reading is over by then,
 * so only EPOLLOUT (and the always-reported EPOLLERR and EPOLLHUP) become edge-triggered: Netty's write path is the
 * one it used edge-triggered until 4.2, and an error or a hang-up is reported once, not on every poll.
 */
public final class EpollPollSetPin {
    private EpollPollSetPin() {
    }

    /** On the channel's loop, once the peer's EOF has been read. */
    public static void pinAfterPeerEof(Channel channel) throws IOException {
        if (channel instanceof AbstractEpollChannel epoll && epoll.isRegistered()) {
            epoll.setFlag(Native.EPOLLET);
        }
    }
}
