package dev.weft.bench.echo;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The C epoll echo server ({@code bench/src/main/c/echo-epoll.c}), the floor of the echo table: compiled here with
 * the system's C compiler the first time a run needs it, and again whenever the source is newer than the binary.
 */
final class CEchoServer {
    static final Path SOURCE = Path.of("bench/src/main/c/echo-epoll.c");
    static final Path BINARY = Path.of("bench/target/echo-epoll");

    private CEchoServer() {
    }

    /**
     * The binary, built if it is missing or older than its source.
     *
     * @throws ServerProcess.UnavailableException if the source is not here (run from the repository's root) or no C
     *                                            compiler could build it (the message says how to install one)
     */
    static Path built() throws IOException {
        if (!Files.isRegularFile(SOURCE)) {
            throw new ServerProcess.UnavailableException(SOURCE + " is missing: run the benchmark from the "
                    + "repository's root");
        }
        if (Files.isExecutable(BINARY)
                && Files.getLastModifiedTime(BINARY).compareTo(Files.getLastModifiedTime(SOURCE)) >= 0) {
            return BINARY;
        }
        Files.createDirectories(BINARY.getParent());
        List<String> command = List.of("cc", "-O2", "-Wall", "-o", BINARY.toString(), SOURCE.toString());
        String output;
        int exit;
        try {
            Process cc = new ProcessBuilder(command).redirectErrorStream(true).start();
            output = new String(cc.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!cc.waitFor(2, TimeUnit.MINUTES)) {
                cc.destroyForcibly();
                throw new ServerProcess.UnavailableException("cc took over 2 minutes to build " + SOURCE);
            }
            exit = cc.exitValue();
        } catch (IOException noCompiler) {
            throw new ServerProcess.UnavailableException("no C compiler (cc) to build " + SOURCE
                    + ": apt-get install gcc libc6-dev");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new ServerProcess.UnavailableException("interrupted while building " + SOURCE);
        }
        if (exit != 0) {
            throw new ServerProcess.UnavailableException("cc could not build " + SOURCE + ": " + output.strip());
        }
        return BINARY;
    }
}
