package dev.weft.samples;

import dev.weft.loop.Capability;
import dev.weft.loop.LoopProvider;
import dev.weft.loop.Loops;
import dev.weft.loop.TaskMode;

import java.io.PrintStream;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;

/** {@code weft loops}: every installed backend, whether it can run here and why not, and which one is picked. */
final class LoopsCommand implements Command {

    @Override
    public String name() {
        return "loops";
    }

    @Override
    public String help() {
        return """
                usage: weft [--loop NAME] loops

                List the event-loop backends installed here, what each can do, why one cannot run here, and which one the
                policy picks (auto, or the one --loop or -Dweft.loop names).

                example: weft loops
                """;
    }

    @Override
    public String summary() {
        return "list the event-loop backends, their capabilities, and the one the policy picks";
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) {
        if (!args.isEmpty()) {
            err.println("weft loops: takes no arguments, got " + args);
            return USAGE;
        }
        List<LoopProvider> providers = Loops.providers();
        LoopProvider picked = Loops.policy().choose(providers); // throws for an unknown or unavailable name

        out.printf("%-2s%-10s%-10s%-12s%-44s%s%n", "", "LOOP", "PRIORITY", "STATUS", "CAPABILITIES", "BUILT ON");
        for (LoopProvider provider : providers) {
            out.printf("%-2s%-10s%-10d%-12s%-44s%s%n",
                    provider == picked ? "*" : "",
                    provider.name(),
                    provider.priority(),
                    provider.isAvailable() ? "available" : "missing",
                    capabilities(provider),
                    provider.description());
            provider.unavailabilityCause().ifPresent(cause -> out.println("    why not: " + cause.getMessage()));
        }
        out.println();
        out.println("picked: " + picked.name() + " (policy " + Loops.policy() + ")");
        out.println("tasks:  " + describe(TaskMode.bestAvailable()));
        return 0;
    }

    private static String capabilities(LoopProvider provider) {
        if (provider.capabilities().isEmpty()) {
            return "callbacks, timers, tasks";
        }
        return provider.capabilities().stream()
                .sorted()
                .map(Capability::name)
                .map(name -> name.toLowerCase(Locale.ROOT).replace('_', '-'))
                .collect(Collectors.joining(","));
    }

    private static String describe(TaskMode mode) {
        return switch (mode) {
            case CARRIED -> "carried by their loop (virtual threads scheduled by the loop: the fast path)";
            case BATON -> "baton mode (fallback: start java with --add-opens java.base/java.lang=ALL-UNNAMED)";
        };
    }
}
