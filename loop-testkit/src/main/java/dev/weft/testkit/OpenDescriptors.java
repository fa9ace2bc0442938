package dev.weft.testkit;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * The sockets, pipes and kernel objects (epoll, eventfd, io_uring) this process holds open, from {@code /proc/self/fd}:
 * what a test of the network must give back. Files are left out, since the JVM opens and keeps class-path jars and
 * the like on its own schedule. Linux only; elsewhere the set is empty and nothing is checked. {@link LoopSuite} checks
 * it after every conformance test; other modules' tests of the network can too.
 */
public final class OpenDescriptors {
    private static final Path FDS = Path.of("/proc/self/fd");
    /** How long descriptors closed by a loop's own threads on its way out may take to be gone. */
    private static final long SETTLE_NANOS = TimeUnit.SECONDS.toNanos(5);

    static {
        openJdkDescriptors();
    }

    private OpenDescriptors() {
    }

    /**
     * The JDK opens some descriptors once and keeps them for good: the epoll instances that park virtual threads on
     * sockets (when its poller class initializes, at the first such park), and a socket it uses to close sockets (at
     * the first close). The first test to do either would seem to leak them, so they are opened here. A park alone did
     * not always open the pollers: an accept that was to time out after 1 ms timed out before it parked when its first
     * native call took longer (under load), and four epoll instances then "leaked" in a later test.
     */
    private static void openJdkDescriptors() {
        try {
            Class.forName("sun.nio.ch.Poller", true, null); // its static initializer opens the pollers (JDK 25)
        } catch (ClassNotFoundException | LinkageError anotherJdk) {
            // the park below opens them
        }
        Thread parker = Thread.ofVirtual().start(new FirstPark()); // no lambda: its body would wait for this class
        try {
            parker.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Opens and closes a socket, parking a virtual thread on it once: an accept that times out. */
    private static final class FirstPark implements Runnable {
        @Override
        public void run() {
            try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
                server.setSoTimeout(100); // long enough to park even when the first accept is slow
                server.accept().close();
            } catch (SocketTimeoutException expected) {
                // it parked (or, slow, gave up first), timed out, and the socket is closed
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
    }

    /** Descriptor number to what it is, e.g. {@code 37 -> socket:[123456]}. */
    public static Map<String, String> now() {
        Map<String, String> open = new HashMap<>();
        if (!Files.isDirectory(FDS)) {
            return open;
        }
        try (DirectoryStream<Path> fds = Files.newDirectoryStream(FDS)) {
            for (Path fd : fds) {
                try {
                    String target = Files.readSymbolicLink(fd).toString();
                    if (target.startsWith("socket:") || target.startsWith("pipe:") || target.startsWith("anon_inode:")) {
                        open.put(fd.getFileName().toString(), target);
                    }
                } catch (NoSuchFileException closedMeanwhile) {
                    // closed while listed (the listing's own descriptor among them)
                }
            }
        } catch (IOException e) {
            throw new IllegalStateException("cannot list " + FDS, e);
        }
        return open;
    }

    /**
     * What is open now that was not open at {@code before}; empty once everything opened since was closed. Waits (up to
     * five seconds) while something is still open: a backend may close its last descriptors on its own threads just
     * after {@code close()} returned.
     */
    public static Map<String, String> leakedSince(Map<String, String> before) {
        long deadline = System.nanoTime() + SETTLE_NANOS;
        Map<String, String> leaked = newSince(before);
        while (!leaked.isEmpty() && System.nanoTime() < deadline) {
            LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(10));
            leaked = newSince(before);
        }
        return leaked;
    }

    private static Map<String, String> newSince(Map<String, String> before) {
        Map<String, String> added = now();
        added.entrySet().removeIf(fd -> fd.getValue().equals(before.get(fd.getKey())));
        return added;
    }
}
