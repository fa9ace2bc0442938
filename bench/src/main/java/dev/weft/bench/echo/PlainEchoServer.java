package dev.weft.bench.echo;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;

/**
 * Echo with no framework at all: one virtual thread per connection, blocking {@link Socket} reads and writes, and the
 * JDK's poller doing the multiplexing underneath. The row it makes in the echo benchmark ({@code plain-vthreads}) shows
 * what Weft's abstraction costs, or saves, over the simplest thing a Java 25 programmer would write.
 *
 * <pre>
 * java -cp bench/target/benchmarks.jar dev.weft.bench.echo.PlainEchoServer --port 7001
 * </pre>
 */
public final class PlainEchoServer {
    /** As big as Weft's streams echo reads at once, so a 100 KiB message takes as few reads in both. */
    private static final int CHUNK = 64 * 1024;

    private PlainEchoServer() {
    }

    public static void main(String[] args) throws IOException {
        Args options = Args.parse(args);
        InetSocketAddress address = new InetSocketAddress(options.text("host", "127.0.0.1"), options.integer("port", 7001));
        try (ServerSocket server = new ServerSocket()) {
            server.setReuseAddress(true);
            server.bind(address, 1024);
            System.out.println("plain virtual-thread echo server on " + server.getLocalSocketAddress());
            while (true) {
                Socket socket = server.accept();
                Thread.ofVirtual().name("echo-", socket.getPort()).start(() -> echo(socket));
            }
        }
    }

    /** Echo until the peer closes; a write blocks (parks the virtual thread) while the peer is not reading. */
    private static void echo(Socket socket) {
        try (socket) {
            socket.setTcpNoDelay(true);
            InputStream in = socket.getInputStream();
            OutputStream out = socket.getOutputStream();
            byte[] chunk = new byte[CHUNK];
            int n;
            while ((n = in.read(chunk)) > 0) {
                out.write(chunk, 0, n);
            }
        } catch (IOException peerGone) {
            // a reset by the load generator at the end of a run: nothing to report
        }
    }
}
