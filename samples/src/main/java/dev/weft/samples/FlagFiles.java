package dev.weft.samples;

import dev.weft.loop.Async;
import dev.weft.loop.Task;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Locale;
import java.util.Set;

/**
 * Where {@code weft flags} saves the flags: {@code <cc>.png} in one directory, each code once (the first time it
 * downloads, whatever the rounds). In a task the write goes to the loop's executor, so the loop never waits for the
 * disk.
 */
final class FlagFiles {
    private final Path dir;
    private final Set<String> saved = new HashSet<>();

    private FlagFiles(Path dir) {
        this.dir = dir;
    }

    /** The directory, made if missing. @throws IOException naming it if it cannot be made */
    static FlagFiles in(Path dir) throws IOException {
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new IOException("cannot save the flags in " + dir + " (" + e + "); choose another with --out", e);
        }
        return new FlagFiles(dir);
    }

    void save(FlagResult result) throws IOException {
        if (!result.succeeded() || !saved.add(result.code())) {
            return;
        }
        Path file = dir.resolve(result.code().toLowerCase(Locale.ROOT) + ".png");
        if (Task.currentOrNull() != null) {
            Async.await(Async.loop().runInExecutor(null, () -> Files.write(file, result.png())));
        } else {
            Files.write(file, result.png());
        }
    }

    Path dir() {
        return dir;
    }
}
