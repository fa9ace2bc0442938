package dev.weft.samples;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} options of a subcommand, checked against the names it knows. */
final class Options {
    private final String command;
    private final Map<String, String> values = new HashMap<>();

    private Options(String command) {
        this.command = command;
    }

    /**
     * Parse the arguments, each {@code --name value} or {@code --name=value} (as {@code weft --loop} takes them).
     *
     * @throws UsageException for an unknown option, a missing value, or a stray argument
     */
    static Options parse(String command, List<String> args, Set<String> known) {
        Options options = new Options(command);
        for (int i = 0; i < args.size(); i++) {
            String arg = args.get(i);
            int equals = arg.indexOf('=');
            String name = arg.startsWith("--") ? arg.substring(2, equals < 0 ? arg.length() : equals) : null;
            if (name == null || !known.contains(name)) {
                String typed = arg.startsWith("--") ? arg.substring(2, equals < 0 ? arg.length() : equals) : arg;
                throw new UsageException("weft " + command + ": unknown argument " + arg
                        + Nearest.suggestion(typed, known).replace("mean ", "mean --") + "; options: --"
                        + String.join(", --", known.stream().sorted().toList()));
            }
            if (equals < 0 && i + 1 == args.size()) {
                throw new UsageException("weft " + command + ": " + arg + " needs a value");
            }
            // An empty value is passed on: --message= may mean an empty line; --port= fails as a number would.
            options.values.put(name, equals >= 0 ? arg.substring(equals + 1) : args.get(++i));
        }
        return options;
    }

    String get(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    int integer(String name, int otherwise, int min, int max) {
        String text = values.get(name);
        if (text == null) {
            return otherwise;
        }
        try {
            int value = Integer.parseInt(text);
            if (value >= min && value <= max) {
                return value;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("weft " + command + ": --" + name + " must be a whole number from " + min + " to "
                + max + ", not '" + text + "'");
    }

    Duration seconds(String name, Duration otherwise) {
        String text = values.get(name);
        if (text == null) {
            return otherwise;
        }
        try {
            double seconds = Double.parseDouble(text);
            if (seconds >= 0 && seconds <= 3600) {
                return Duration.ofNanos((long) (seconds * 1e9));
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UsageException("weft " + command + ": --" + name + " takes seconds from 0 to 3600, like 0.5; not '"
                + text + "'");
    }

    /** A command line that cannot be run as written: exit status 2 and the message. */
    static final class UsageException extends IllegalArgumentException {
        UsageException(String message) {
            super(message);
        }
    }
}
