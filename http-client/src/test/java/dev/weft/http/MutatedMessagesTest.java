package dev.weft.http;

import java.time.Duration;
import java.util.HexFormat;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BiConsumer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The parsers' short fuzzing run, as CI does it: valid messages of every kind ({@link ValidMessages}) cut at every
 * offset parse the same as whole, and thousands of mutations of them ({@link Mutations}) each parse or are refused
 * with the parser's typed exception, the same however the bytes are cut ({@link ParserProperties}).
 *
 * <p>{@code -Dweft.fuzz.tries=N} sets the tries per parser (2,000 by default, a few seconds) and
 * {@code -Dweft.fuzz.seed=S} the first seed (17 by default, so CI is repeatable); a failure names the seed and the
 * input in hex, which replays it.
 */
@Timeout(120)
class MutatedMessagesTest {
    private static final int TRIES = Integer.getInteger("weft.fuzz.tries", 2_000);
    private static final long SEED = Long.getLong("weft.fuzz.seed", 17);
    /** How long one input may take: far more than any parser needs, far less than the class timeout. */
    private static final Duration PER_INPUT = Duration.ofSeconds(10);

    @Test
    void validResponsesCutAnywhereParseAsWhole() {
        for (byte[] response : ValidMessages.RESPONSES) {
            for (int cut = 0; cut <= response.length; cut++) {
                List<String> lines = ParserProperties.response(ResponseLimits.DEFAULTS, "GET", response,
                        new int[] {cut, cut + 1, cut + 7}, true);
                assertFalse(lines.stream().anyMatch(l -> l.startsWith("Error")), () -> "refused: " + lines);
            }
        }
    }

    @Test
    void validFramesCutAnywhereParseAsWhole() {
        for (byte[] frames : ValidMessages.FRAMES) {
            for (int cut = 0; cut <= frames.length; cut++) {
                List<String> lines = ParserProperties.webSocket(frames, new int[] {cut, cut + 1}, false, 4096);
                assertFalse(lines.stream().anyMatch(l -> l.startsWith("Error")), () -> "refused: " + lines);
            }
        }
        for (byte[] frames : ValidMessages.DEFLATED_FRAMES) {
            for (int cut = 0; cut <= frames.length; cut++) {
                List<String> lines = ParserProperties.webSocket(frames, new int[] {cut, cut + 3}, true, 4096);
                assertFalse(lines.stream().anyMatch(l -> l.startsWith("Error")), () -> "refused: " + lines);
            }
        }
    }

    @Test
    void validBodiesCutAnywhereDecodeAsWhole() {
        for (byte[] body : ValidMessages.GZIP_BODIES) {
            for (int cut = 0; cut <= body.length; cut++) {
                String outcome = ParserProperties.contentDecoding("gzip", body, new int[] {cut, cut + 1});
                assertTrue(outcome.startsWith("Decoded"), outcome);
            }
        }
        for (byte[] body : ValidMessages.DEFLATE_BODIES) {
            for (int cut = 0; cut <= body.length; cut++) {
                String outcome = ParserProperties.contentDecoding("deflate", body, new int[] {cut, cut + 1});
                assertTrue(outcome.startsWith("Decoded"), outcome);
            }
        }
    }

    /**
     * Every smuggling field line in every head of every valid response, answering each method: the framing conflicts
     * a random mutation reaches only by chance (a Content-Length beside chunked is about one try in 3,000), each tried
     * on every run.
     */
    @Test
    void smugglingLinesInEveryHeadAreRefusedOrParsedConsistently() {
        ExecutorService runner = runner();
        try {
            for (byte[] response : ValidMessages.RESPONSES) {
                for (int at : Mutations.afterStatusLines(response)) {
                    for (String line : Mutations.SMUGGLING_LINES) {
                        byte[] input = Mutations.insert(response, at, Mutations.ascii(line));
                        for (String method : List.of("GET", "HEAD", "CONNECT")) {
                            bounded(runner, method + ", input " + HexFormat.of().formatHex(input), () ->
                                    ParserProperties.response(ResponseLimits.DEFAULTS, method, input,
                                            new int[] {at, at + 1}, true));
                        }
                    }
                }
            }
        } finally {
            runner.shutdownNow();
        }
    }

    @Test
    void mutatedResponsesAreRefusedOrParsedConsistently() {
        String[] methods = {"GET", "GET", "HEAD", "CONNECT"};
        tryMutations(ValidMessages.RESPONSES, (input, random) -> ParserProperties.response(
                random.nextBoolean() ? ParserProperties.SMALL : ResponseLimits.DEFAULTS,
                methods[random.nextInt(methods.length)], input, Mutations.cuts(input.length, random),
                random.nextBoolean()));
    }

    @Test
    void mutatedRequestHeadsAreRefusedOrParsedConsistently() {
        tryMutations(ValidMessages.REQUEST_HEADS, (input, random) -> ParserProperties.requestHead(input));
    }

    @Test
    void mutatedFramesAreRefusedOrParsedConsistently() {
        tryMutations(ValidMessages.FRAMES, (input, random) -> ParserProperties.webSocket(input,
                Mutations.cuts(input.length, random), false, 1 + random.nextInt(300)));
        tryMutations(ValidMessages.DEFLATED_FRAMES, (input, random) -> ParserProperties.webSocket(input,
                Mutations.cuts(input.length, random), true, 1 + random.nextInt(300)));
    }

    @Test
    void mutatedBodiesAreRefusedOrDecodedConsistently() {
        tryMutations(ValidMessages.GZIP_BODIES, (input, random) -> ParserProperties.contentDecoding("gzip", input,
                Mutations.cuts(input.length, random)));
        tryMutations(ValidMessages.DEFLATE_BODIES, (input, random) -> ParserProperties.contentDecoding("deflate",
                input, Mutations.cuts(input.length, random)));
    }

    @Test
    void mutatedFieldValuesAreRefusedOrRead() {
        tryMutations(ValidMessages.FIELD_VALUES, (input, random) -> ParserProperties.fieldValues(
                new String(input, java.nio.charset.StandardCharsets.ISO_8859_1)));
    }

    /** {@link #TRIES} mutations of the seeds, each from a seed of its own that a failure names. */
    private static void tryMutations(List<byte[]> seeds, BiConsumer<byte[], Random> property) {
        ExecutorService runner = runner();
        try {
            for (long seed = SEED; seed < SEED + TRIES; seed++) {
                Random random = new Random(seed);
                byte[] input = Mutations.mutate(seeds.get(random.nextInt(seeds.size())), random);
                bounded(runner, "seed " + seed + ", input " + HexFormat.of().formatHex(input),
                        () -> property.accept(input, random));
            }
        } finally {
            runner.shutdownNow();
        }
    }

    /** One thread for the checks of a test, a daemon: one spinning on an input is abandoned. */
    private static ExecutorService runner() {
        return Executors.newSingleThreadExecutor(Thread.ofPlatform().daemon().factory());
    }

    /**
     * The check, on the runner, held to {@link #PER_INPUT}: a parser that spins on an input fails naming it, rather
     * than holding the test to its class timeout, which names nothing.
     */
    private static void bounded(ExecutorService runner, String input, Runnable check) {
        try {
            runner.submit(check).get(PER_INPUT.toSeconds(), TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new AssertionError(input + ": " + e.getCause(), e.getCause());
        } catch (TimeoutException e) {
            throw new AssertionError(input + ": no outcome in " + PER_INPUT
                    + " (a parser spinning on input it cannot use?)");
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted at " + input, e);
        }
    }
}
