package dev.weft.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import org.junit.jupiter.api.Timeout;

/**
 * Coverage-guided fuzzing (Jazzer) of every parser that reads a peer's bytes: the response parser, the server's
 * request-head parser, the WebSocket frame decoder and assembler with permessage-deflate, the Content-Encoding
 * decoder, and the field values whose meaning the client reads (framing, Retry-After, WebSocket extensions). Each
 * target takes the fuzzer's bytes, lets it choose the limits, the request method and where the bytes are cut, and
 * checks {@link ParserProperties}.
 *
 * <p>In a plain {@code verify} (CI) each target runs once per input kept under
 * {@code src/test/resources/dev/weft/http/ParserFuzzTestInputs/<target>/}: the seeds and every input a fuzzing run
 * found (each also has a regression test of its own in {@link FuzzFindingsTest}). Fuzzing itself is on demand, one
 * target per run, with the {@code fuzz} profile: see the README's testing section. The timeout bounds each replayed
 * input; the profile turns JUnit's timeouts off, or a whole fuzzing run would be held to it.
 */
@Timeout(60)
class ParserFuzzTest {
    private static final String[] METHODS = {"GET", "HEAD", "POST", "CONNECT"};
    private static final String[] ENCODINGS = {"gzip", "deflate"};

    @FuzzTest(maxDuration = "10m")
    void responses(FuzzedDataProvider data) {
        ResponseLimits limits = data.consumeBoolean() ? ParserProperties.SMALL : ResponseLimits.DEFAULTS;
        String method = data.pickValue(METHODS);
        boolean close = data.consumeBoolean();
        int[] cuts = cuts(data);
        ParserProperties.response(limits, method, data.consumeRemainingAsBytes(), cuts, close);
    }

    @FuzzTest(maxDuration = "10m")
    void requestHeads(byte[] input) {
        ParserProperties.requestHead(input);
    }

    @FuzzTest(maxDuration = "10m")
    void webSocketFrames(FuzzedDataProvider data) {
        boolean deflate = data.consumeBoolean();
        int maxMessage = data.consumeInt(1, 4096);
        int[] cuts = cuts(data);
        ParserProperties.webSocket(data.consumeRemainingAsBytes(), cuts, deflate, maxMessage);
    }

    @FuzzTest(maxDuration = "10m")
    void contentDecoding(FuzzedDataProvider data) {
        String encoding = data.pickValue(ENCODINGS);
        int[] cuts = cuts(data);
        ParserProperties.contentDecoding(encoding, data.consumeRemainingAsBytes(), cuts);
    }

    @FuzzTest(maxDuration = "10m")
    void fieldValues(FuzzedDataProvider data) {
        ParserProperties.fieldValues(data.consumeRemainingAsString());
    }

    /** Up to four ascending cut points, taken before the payload so the payload is the rest of the input. */
    private static int[] cuts(FuzzedDataProvider data) {
        int[] cuts = new int[data.consumeInt(0, 4)];
        int at = 0;
        for (int i = 0; i < cuts.length; i++) {
            at += data.consumeInt(0, 200);
            cuts[i] = at;
        }
        return cuts;
    }
}
