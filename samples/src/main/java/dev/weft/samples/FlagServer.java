package dev.weft.samples;

import dev.weft.http.HttpServer;
import dev.weft.http.RequestHandler;
import dev.weft.http.ServerRequest;
import dev.weft.http.ServerResponse;
import dev.weft.loop.Async;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;

/**
 * The flag server of {@code weft flag-server} and {@code weft flags}: the 247 famfamfam flags (16×11 PNGs, public
 * domain, shipped as resources) at {@code /flags/<cc>.png}, an index at {@code /flags/}, with a random delay and a
 * rate of 418 answers drawn from a seeded generator, as Fluent Python's {@code slow_server.py} adds them. Codes are
 * matched case-insensitively ({@code CN} is {@code cn}); an unknown one is 404. A delayed answer says how long it was
 * delayed ({@link #DELAY_HEADER}).
 */
final class FlagServer implements RequestHandler {
    /**
     * The header that tells the client how long the server waited before answering, in milliseconds, when it waited:
     * a run can then be held against its slowest answer (a concurrent run takes about as long as that, a sequential
     * one the sum).
     */
    static final String DELAY_HEADER = "X-Flag-Delay";
    /** The flags, by lower-case code, read once. */
    static final Map<String, byte[]> FLAGS = loadFlags();

    /**
     * How slow and how unreliable the server is: a delay drawn uniformly from [min, max], and 418s at this rate; and,
     * to show debug mode, the first flag request's handler holding its loop this long without awaiting (zero: never).
     */
    record Behaviour(Duration minDelay, Duration maxDelay, double errorRate, long seed, Duration blockOnce) {
        /** A slower server is no test of anything but patience. */
        static final Duration MAX_DELAY = Duration.ofMinutes(10);

        static final Behaviour PROMPT = new Behaviour(Duration.ZERO, Duration.ZERO, 0, 0);

        Behaviour(Duration minDelay, Duration maxDelay, double errorRate, long seed) {
            this(minDelay, maxDelay, errorRate, seed, Duration.ZERO);
        }

        /** This behaviour, with the first flag request blocking its loop this long. */
        Behaviour blockingOnce(Duration block) {
            if (block.isNegative()) {
                throw new IllegalArgumentException("--block-once is milliseconds, 0 or more, not " + block.toMillis());
            }
            return new Behaviour(minDelay, maxDelay, errorRate, seed, block);
        }

        Behaviour {
            if (minDelay.isNegative() || maxDelay.compareTo(minDelay) < 0 || maxDelay.compareTo(MAX_DELAY) > 0) {
                throw new IllegalArgumentException("the delay is MIN-MAX milliseconds with 0 <= MIN <= MAX <= "
                        + MAX_DELAY.toMillis() + ", not " + minDelay.toMillis() + "-" + maxDelay.toMillis());
            }
            if (!(errorRate >= 0 && errorRate <= 1)) {
                throw new IllegalArgumentException("the error rate is from 0 to 1, not " + errorRate);
            }
        }

        @Override
        public String toString() {
            return "delay " + minDelay.toMillis() + "-" + maxDelay.toMillis() + " ms, error rate " + errorRate
                    + ", seed " + seed + (blockOnce.isZero() ? "" : ", the first flag request blocks the loop for "
                    + blockOnce.toMillis() + " ms");
        }
    }

    private final Behaviour behaviour;
    private final Random random; // on the server's loop only
    private boolean blocked; // the first flag request has blocked the loop (--block-once); on the server's loop only

    private FlagServer(Behaviour behaviour) {
        this.behaviour = behaviour;
        this.random = new Random(behaviour.seed());
    }

    /** Serve on host:port (0: a free port), in a task of the loop that will serve. */
    static HttpServer start(String host, int port, Behaviour behaviour) throws IOException {
        return HttpServer.start(host, port, new FlagServer(behaviour));
    }

    @Override
    public ServerResponse handle(ServerRequest request) {
        if (!request.method().equals("GET") && !request.method().equals("HEAD")) {
            return ServerResponse.text(405, "the flag server answers GET and HEAD\n").withHeader("Allow", "GET, HEAD");
        }
        String path = request.path();
        if (path.equals("/flags/") || path.equals("/flags")) {
            return ServerResponse.text(200, String.join("\n", FLAGS.keySet().stream().map(cc -> cc + ".png")
                    .toList()) + "\n");
        }
        if (!path.startsWith("/flags/") || !path.endsWith(".png")) {
            return ServerResponse.text(404, "no such page: " + path + "; the flags are at /flags/<cc>.png\n");
        }
        String code = path.substring("/flags/".length(), path.length() - ".png".length()).toLowerCase(Locale.ROOT);
        // Drawn for every flag request, in arrival order, so a seed replays the same run; an unknown code is as slow.
        long delay = behaviour.minDelay().toMillis() + (behaviour.maxDelay().equals(behaviour.minDelay()) ? 0
                : random.nextLong(behaviour.maxDelay().toMillis() - behaviour.minDelay().toMillis() + 1));
        boolean teapot = random.nextDouble() < behaviour.errorRate();
        if (delay > 0) {
            Async.sleep(Duration.ofMillis(delay));
        }
        if (!behaviour.blockOnce().isZero() && !blocked) {
            blocked = true;
            blockTheLoop(behaviour.blockOnce());
        }
        byte[] png = FLAGS.get(code);
        ServerResponse response = png == null ? ServerResponse.text(404, "no flag for '" + code + "'\n")
                : teapot ? ServerResponse.text(418, "I'm a teapot (the flag server's error rate is "
                + behaviour.errorRate() + ")\n") : ServerResponse.of(200, "image/png", png);
        return delay > 0 ? response.withHeader(DELAY_HEADER, Long.toString(delay)) : response;
    }

    /**
     * Hold the loop without awaiting, as a careless handler would (a CPU-bound loop, a blocking call that pins): the
     * bug debug mode exists to find. A busy wait, since a sleep in a task gives the loop up.
     */
    private static void blockTheLoop(Duration block) {
        long end = System.nanoTime() + block.toNanos();
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    private static Map<String, byte[]> loadFlags() {
        Map<String, byte[]> flags = new TreeMap<>();
        for (String code : resource("codes.txt").lines().toList()) {
            flags.put(code, bytes(code + ".png"));
        }
        return flags;
    }

    private static String resource(String name) {
        return new String(bytes(name), StandardCharsets.UTF_8);
    }

    private static byte[] bytes(String name) {
        try (InputStream in = FlagServer.class.getResourceAsStream("/flags/" + name)) {
            if (in == null) {
                throw new IllegalStateException("the flag resource " + name + " is missing from the class path");
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
