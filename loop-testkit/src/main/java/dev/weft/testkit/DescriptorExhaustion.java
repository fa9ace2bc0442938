package dev.weft.testkit;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * This JVM run out of file descriptors, as a server under a descriptor leak or a connection flood is: the soft
 * RLIMIT_NOFILE is lowered to a little above the descriptors open now (libc's {@code getrlimit}/{@code setrlimit}
 * through the FFM API), then {@code /dev/null} is opened until open fails with EMFILE. The limit is lowered first so
 * that a machine whose limit is a million does not need a million files. {@link #close()} closes what it opened and
 * restores the limit. Linux only: RLIMIT_NOFILE is 7 there, on x86_64 and aarch64 alike.
 *
 * <p>While it lasts nothing in the process can open a file: a class not loaded yet from a directory of the class path
 * cannot load, and the JDK's logging cannot read its time-zone data. Whoever exhausts warms up what it needs first.
 */
final class DescriptorExhaustion implements AutoCloseable {
    /** Why a test that needs this is skipped elsewhere. */
    static final String UNSUPPORTED = "running out of file descriptors on purpose needs Linux's RLIMIT_NOFILE";

    private static final int RLIMIT_NOFILE = 7;
    private static final int HEADROOM = 16; // descriptors the lowered limit leaves free before /dev/null fills them
    private static final int MOST_OPENS = 100_000; // a bound on the loop below, should EMFILE never come
    private static final Path DEV_NULL = Path.of("/dev/null");

    private final long savedSoftLimit;
    private final long hardLimit;
    private final List<FileChannel> filler;

    private DescriptorExhaustion(long savedSoftLimit, long hardLimit, List<FileChannel> filler) {
        this.savedSoftLimit = savedSoftLimit;
        this.hardLimit = hardLimit;
        this.filler = filler;
    }

    static boolean isSupported() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        return os.startsWith("linux") && Path.of("/proc/self/fd").toFile().isDirectory();
    }

    /** Run out of file descriptors now; close the result to have them back. */
    static DescriptorExhaustion exhaust() throws IOException {
        long[] limits = RLimit.get();
        String[] open = Path.of("/proc/self/fd").toFile().list(); // one of them is the directory being listed
        long lowered = Math.min(limits[0], (open == null ? 0 : open.length) + HEADROOM);
        RLimit.set(lowered, limits[1]);
        List<FileChannel> filler = new ArrayList<>();
        DescriptorExhaustion exhaustion = new DescriptorExhaustion(limits[0], limits[1], filler);
        try {
            for (int i = 0; i < MOST_OPENS; i++) {
                filler.add(FileChannel.open(DEV_NULL));
            }
        } catch (IOException e) {
            if (String.valueOf(e.getMessage()).toLowerCase(Locale.ROOT).contains("too many open files")) {
                return exhaustion; // EMFILE: exhausted
            }
            exhaustion.close();
            throw e;
        } catch (RuntimeException | Error e) { // nothing may leave the limit lowered and the files open
            exhaustion.close();
            throw e;
        }
        exhaustion.close();
        throw new IllegalStateException("opened " + MOST_OPENS + " files under a soft RLIMIT_NOFILE of " + lowered
                + " and none failed: setrlimit did not take effect");
    }

    /** How many descriptors it holds. */
    int held() {
        return filler.size();
    }

    /** Close every file it opened, then restore the limit. */
    @Override
    public void close() {
        for (FileChannel file : filler) {
            try {
                file.close();
            } catch (IOException ignored) {
                // /dev/null does not fail to close; if it did, the descriptor is gone either way
            }
        }
        filler.clear();
        RLimit.set(savedSoftLimit, hardLimit);
    }

    /** libc's getrlimit/setrlimit for RLIMIT_NOFILE: {@code struct rlimit { rlim_t cur, max; }}, two 64-bit words. */
    private static final class RLimit {
        private static final MethodHandle GET;
        private static final MethodHandle SET;

        static {
            Linker linker = Linker.nativeLinker();
            FunctionDescriptor signature = FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT,
                    ValueLayout.ADDRESS);
            GET = linker.downcallHandle(linker.defaultLookup().find("getrlimit").orElseThrow(), signature);
            SET = linker.downcallHandle(linker.defaultLookup().find("setrlimit").orElseThrow(), signature);
        }

        /** {soft, hard}. */
        static long[] get() {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment limit = arena.allocate(ValueLayout.JAVA_LONG, 2);
                check((int) GET.invokeExact(RLIMIT_NOFILE, limit), "getrlimit");
                return new long[]{limit.getAtIndex(ValueLayout.JAVA_LONG, 0), limit.getAtIndex(ValueLayout.JAVA_LONG, 1)};
            } catch (Throwable t) {
                throw failed("getrlimit", t);
            }
        }

        static void set(long soft, long hard) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment limit = arena.allocate(ValueLayout.JAVA_LONG, 2);
                limit.setAtIndex(ValueLayout.JAVA_LONG, 0, soft);
                limit.setAtIndex(ValueLayout.JAVA_LONG, 1, hard);
                check((int) SET.invokeExact(RLIMIT_NOFILE, limit), "setrlimit");
            } catch (Throwable t) {
                throw failed("setrlimit", t);
            }
        }

        private static void check(int result, String call) {
            if (result != 0) {
                throw new IllegalStateException(call + "(RLIMIT_NOFILE) returned " + result);
            }
        }

        private static RuntimeException failed(String call, Throwable t) {
            return t instanceof RuntimeException e ? e : new IllegalStateException(call + "(RLIMIT_NOFILE) failed", t);
        }
    }
}
