package dev.weft.bench;

import org.openjdk.jmh.results.Result;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.CommandLineOptions;

import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Runs the benchmarks as JMH's own main does (same arguments), then prints the ratios the absolute numbers are for:
 * a nanosecond count means little on its own and changes from machine to machine, a ratio measured in one run
 * mostly does not.
 *
 * <pre>java -cp bench/target/benchmarks.jar dev.weft.bench.Ratios -f 1 -wi 3 -i 5 -w 1 -r 1</pre>
 *
 * <p>Takes JMH's arguments (a regex, {@code -f}, {@code -rf csv}, ...) but always runs; list with {@code java -jar
 * benchmarks.jar -l}. Forks are required ({@code -f 0} would run CARRIED rows without the add-opens).
 *
 * <p>Three kinds of ratio, each {@code numerator / denominator} of the per-operation times:
 * <ul>
 *   <li><b>baton / carried</b>: what the fallback mode costs over the fast path, for each Weft benchmark;</li>
 *   <li><b>weft / jdk</b>: a Weft operation against the same steps with plain virtual threads and
 *       CompletableFuture (below 1: Weft is cheaper);</li>
 *   <li><b>await / hop</b>: an await round trip counted in loop iterations (callSoon hops).</li>
 * </ul>
 * A pair is skipped when either side was not run. The ± is the two scores' relative JMH errors combined.
 */
public final class Ratios {
    private static final String PKG = "dev.weft.bench.";

    /** Weft benchmark, and its JDK counterpart in {@link JdkBaselineBench}. */
    private static final List<String[]> WEFT_VS_JDK = List.of(
            new String[] {"TaskBench.spawnAwaitEach", "JdkBaselineBench.vthreadStartJoinEach"},
            new String[] {"TaskBench.spawnAllAwaitAll", "JdkBaselineBench.vthreadStartAllJoinAll"},
            new String[] {"AwaitBench.roundTrip", "JdkBaselineBench.cfRoundTrip"},
            new String[] {"AwaitBench.pingPong", "JdkBaselineBench.cfPingPong"});
    private static final List<String> MODE_BENCHMARKS = List.of(
            "TaskBench.spawnAwaitEach", "TaskBench.spawnAllAwaitAll", "AwaitBench.roundTrip", "AwaitBench.pingPong");
    private static final String HOP = "LoopCallbackBench.callSoonHop";

    private Ratios() {
    }

    public static void main(String[] args) throws Exception {
        Collection<RunResult> results = new Runner(new CommandLineOptions(args)).run();
        Map<String, Result<?>> scores = new HashMap<>();
        for (RunResult run : results) {
            String name = run.getParams().getBenchmark().replace(PKG, "");
            String mode = run.getParams().getParam("mode");
            scores.put(mode == null ? name : name + "[" + mode + "]", run.getPrimaryResult());
        }
        System.out.println();
        System.out.println("Ratios of per-operation times (numerator / denominator)");
        for (String bench : MODE_BENCHMARKS) {
            print(scores, bench + "[BATON]", bench + "[CARRIED]");
        }
        for (String[] pair : WEFT_VS_JDK) {
            print(scores, pair[0] + "[CARRIED]", pair[1]);
            print(scores, pair[0] + "[BATON]", pair[1]);
        }
        print(scores, "AwaitBench.roundTrip[CARRIED]", HOP);
        print(scores, "AwaitBench.roundTrip[BATON]", HOP);
    }

    private static void print(Map<String, Result<?>> scores, String numerator, String denominator) {
        Result<?> a = scores.get(numerator);
        Result<?> b = scores.get(denominator);
        if (a == null || b == null) {
            return;
        }
        double ratio = a.getScore() / b.getScore();
        double relError = Math.hypot(relative(a), relative(b));
        System.out.printf("  %-35s / %-40s = %7.2f  ± %3.0f%%%n", numerator, denominator, ratio, 100 * relError);
    }

    private static double relative(Result<?> r) {
        double error = r.getScoreError();
        return Double.isNaN(error) ? 0 : error / r.getScore();
    }
}
