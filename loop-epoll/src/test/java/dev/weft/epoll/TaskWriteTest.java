package dev.weft.epoll;

import dev.weft.loop.Loops;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;
import dev.weft.netty.NettyLeakCheck;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.ExtendWith;

import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * A task's write on epoll, where Netty writes to the socket within the call: it runs at once, with Netty's ownership
 * lent to the task's thread (ChannelOps), as a task's write does on nio.
 */
@ExtendWith(NettyLeakCheck.class)
@Timeout(10)
class TaskWriteTest {
    /** Queued as a callback instead, the bytes waited in the transport's buffer for the loop's next iteration. */
    @Test
    void aTasksSmallWriteReachesTheSocketWithinTheCall() throws Exception {
        int unsent = Loops.run(EpollConformanceTest::epoll, () -> {
            StreamServer server = Streams.startServer((reader, writer) -> reader.read(1), "127.0.0.1", 0);
            try (StreamConnection c = Streams.openConnection("127.0.0.1", server.port())) {
                c.writer().write(new byte[100]);
                return c.writer().transport().writeBufferSize();
            } finally {
                server.close();
                server.awaitClosed();
            }
        });
        assertEquals(0, unsent, "bytes left in the write buffer after a task's write of 100 bytes returned");
    }
}
