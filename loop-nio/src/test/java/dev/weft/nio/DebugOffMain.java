package dev.weft.nio;

import dev.weft.loop.Async;
import dev.weft.loop.Loops;
import dev.weft.loop.Tasks;
import dev.weft.net.StreamConnection;
import dev.weft.net.StreamServer;
import dev.weft.net.Streams;

import java.time.Duration;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Run by {@link DebugOffTest} in a JVM of its own: a program that uses what debug mode hooks into (tasks, futures,
 * timers, callbacks, a server and a connection) with debug mode off, then prints the threads that are alive and were
 * not before it ran, one per line.
 */
public final class DebugOffMain {
    public static void main(String[] args) throws Exception {
        Set<Thread> before = Thread.getAllStackTraces().keySet();
        Loops.run(NioEventLoop::new, () -> {
            try (StreamServer server = Streams.startServer((reader, writer) -> writer.write(reader.read(1)),
                    "127.0.0.1", 0);
                 StreamConnection connection = Streams.openConnection("127.0.0.1", server.port())) {
                connection.writer().write(new byte[] {1});
                Tasks.spawn(() -> Async.sleep(Duration.ofMillis(1))).await();
                return connection.reader().read(1).length;
            }
        });
        System.out.println(Thread.getAllStackTraces().keySet().stream().filter(t -> !before.contains(t))
                .map(Thread::getName).sorted().collect(Collectors.joining("\n")));
    }
}
