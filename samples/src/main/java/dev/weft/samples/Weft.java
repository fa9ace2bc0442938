package dev.weft.samples;

import dev.weft.loop.DebugMode;
import dev.weft.loop.LoggingWarmUp;
import dev.weft.loop.LoopUnavailableException;
import dev.weft.loop.Loops;
import dev.weft.loop.NamedLoopPolicy;
import dev.weft.loop.SignalCancellationException;
import dev.weft.loop.UnknownLoopException;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionException;

/**
 * The {@code weft} command line: {@code weft [--loop NAME] COMMAND [ARGS...]}. The launcher script at the repository
 * root finds JDK 25, builds what is missing, and runs this class with the JVM flags Weft needs.
 */
public final class Weft {
    private static final Map<String, Command> COMMANDS = new LinkedHashMap<>();

    static {
        register(new LoopsCommand());
        register(new SpinnerCommand());
        register(new CountdownCommand());
        register(new EchoServerCommand());
        register(new EchoClientCommand());
        register(new HttpCommand());
        register(new FlagsCommand());
        register(new FlagServerCommand());
        register(new CharfinderCommand());
        register(new FibServerCommand());
        register(new PipelineCommand());
        register(new SupervisorCommand());
        register(new DumpCommand());
    }

    private Weft() {
    }

    private static void register(Command command) {
        COMMANDS.put(command.name(), command);
    }

    public static void main(String[] args) {
        LoggingWarmUp.ensure(); // before the first record, which may come when descriptors have run out
        System.exit(run(List.of(args), System.out, System.err));
    }

    /** Run a command line; returns the exit status. */
    static int run(List<String> args, PrintStream out, PrintStream err) {
        List<String> rest = new ArrayList<>(args);
        while (!rest.isEmpty() && rest.getFirst().startsWith("--")) {
            String option = rest.removeFirst();
            if (option.equals("--loop") || option.startsWith("--loop=")) {
                String name = option.equals("--loop")
                        ? (rest.isEmpty() || rest.getFirst().startsWith("-") ? "" : rest.removeFirst())
                        : option.substring("--loop=".length());
                if (name.isBlank()) {
                    // The policy reads an empty name as auto; on the command line it is a slip, not a choice.
                    err.println("weft: --loop needs a value: one of " + String.join(", ", knownLoops()));
                    return Command.USAGE;
                }
                System.setProperty(NamedLoopPolicy.PROPERTY, name);
            } else if (option.equals("--debug")) {
                System.setProperty(DebugMode.PROPERTY, "true"); // every loop made from now on is in debug mode
            } else if (option.equals("--help")) {
                rest.addFirst("help");
                break;
            } else if (option.equals("--version")) {
                out.println(version());
                return 0;
            } else {
                err.println("weft: unknown option " + option + Nearest.suggestion(option, List.of("--loop", "--debug",
                        "--help", "--version")) + "; try: weft help");
                return Command.USAGE;
            }
        }
        if (!rest.isEmpty() && (rest.getFirst().equals("-h") || rest.getFirst().equals("-V"))) {
            rest.set(0, rest.getFirst().equals("-h") ? "help" : "version");
        }
        if (!rest.isEmpty() && rest.getFirst().equals("version")) {
            out.println(version());
            return 0;
        }
        if (rest.isEmpty() || rest.getFirst().equals("help")) {
            usage(rest.isEmpty() ? err : out);
            return rest.isEmpty() ? Command.USAGE : 0;
        }
        Command command = COMMANDS.get(rest.getFirst());
        if (command == null) {
            err.println("weft: unknown command '" + rest.getFirst() + "'" + Nearest.suggestion(rest.getFirst(),
                    COMMANDS.keySet()) + "; commands: " + String.join(", ", COMMANDS.keySet()));
            return Command.USAGE;
        }
        List<String> commandArgs = new ArrayList<>(rest.subList(1, rest.size()));
        String loop = takeLoopOption(commandArgs); // --loop after the command works as before it
        if (commandArgs.remove("--debug")) { // so does --debug
            System.setProperty(DebugMode.PROPERTY, "true");
        }
        if (loop != null) {
            if (loop.isBlank()) {
                err.println("weft: --loop needs a value: one of " + String.join(", ", knownLoops()));
                return Command.USAGE;
            }
            System.setProperty(NamedLoopPolicy.PROPERTY, loop);
        }
        if (command.help() != null && (commandArgs.contains("--help") || commandArgs.contains("-h"))) {
            out.print(command.help());
            return 0;
        }
        try {
            return command.run(commandArgs, out, err);
        } catch (Options.UsageException e) {
            err.println(e.getMessage());
            return Command.USAGE;
        } catch (UnknownLoopException | LoopUnavailableException e) {
            err.println("weft: " + e.getMessage());
            return Command.USAGE;
        } catch (SignalCancellationException stopped) {
            // Stopped as asked, its clean-up done: no stack trace, only what failed on the way out.
            for (Throwable failure : stopped.getSuppressed()) {
                err.println("weft " + command.name() + ": failed while stopping: " + failure);
            }
            return stopped.exitStatus();
        } catch (Exception e) {
            Throwable cause = e instanceof CompletionException && e.getCause() != null ? e.getCause() : e;
            err.println("weft " + command.name() + ": " + (cause instanceof java.io.IOException && cause.getMessage() != null
                    ? cause.getMessage() : cause.toString()));
            return 1;
        }
    }

    /** Remove {@code --loop NAME} or {@code --loop=NAME} from a command's arguments; the name, "" if missing, or null. */
    private static String takeLoopOption(List<String> args) {
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            if (arg.equals("--loop")) {
                args.remove(i);
                return i < args.size() && !args.get(i).startsWith("-") ? args.remove(i) : "";
            }
            if (arg.startsWith("--loop=")) {
                args.remove(i);
                return arg.substring("--loop=".length());
            }
        }
        return null;
    }

    /** {@code weft 0.1.0-SNAPSHOT, JDK 25.0.3, loops: ...}: the version is the jar's, from its manifest. */
    private static String version() {
        String version = Weft.class.getPackage().getImplementationVersion();
        return "weft " + (version == null ? "(built from source)" : version) + ", JDK "
                + System.getProperty("java.runtime.version") + ", loops: " + String.join(", ", knownLoops().subList(1,
                knownLoops().size()));
    }

    /** What {@code --loop} accepts, as the policy names them: auto, then the installed backends, best first. */
    private static List<String> knownLoops() {
        List<String> names = new ArrayList<>(List.of(NamedLoopPolicy.AUTO));
        Loops.providers().forEach(provider -> names.add(provider.name()));
        return names;
    }

    private static void usage(PrintStream out) {
        out.println("usage: weft [--loop NAME] [--debug] COMMAND [ARGS...]  (weft COMMAND --help: the command's options)");
        out.println();
        out.println("options:");
        out.println("  --loop NAME   event loop to use: auto (default), or a name from `weft loops`;");
        out.println("                same as --loop=NAME and -Dweft.loop=NAME; before or after the command");
        out.println("  --debug       debug mode for every loop: slow steps, blocked loops, what was left open (logger");
        out.println("                dev.weft.debug); same as -Dweft.debug=true; thresholds -Dweft.debug.slowMillis,");
        out.println("                .blockedMillis (default 100, 1000 ms); before or after the command");
        out.println("  -h, --help    this help");
        out.println("  -V, --version the version, the JDK and the loops installed");
        out.println();
        out.println("commands:");
        for (Command command : COMMANDS.values()) {
            out.printf("  %-12s  %s%n", command.name(), command.summary());
        }
        out.printf("  %-12s  %s%n", "test", "run every test of the project (the launcher runs Maven)");
        out.println();
        out.println("exit status: 0 done, 1 failed, 2 usage error; 130 stopped by SIGINT (Ctrl-C), 143 by SIGTERM,");
        out.println("after the command's clean-up (a second signal exits at once; -Dweft.signals=false: no clean-up)");
    }
}
