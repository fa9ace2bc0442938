package dev.weft.bench.echo;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;

/** {@code --name value} pairs for the harness mains; a bad value stops with a message naming it. */
public final class Args {
    private final Map<String, String> values = new HashMap<>();

    public static Args parse(String[] args) {
        Args parsed = new Args();
        for (int i = 0; i < args.length; i += 2) {
            if (!args[i].startsWith("--") || i + 1 == args.length) {
                throw new IllegalArgumentException("expected --name value pairs, got: " + String.join(" ", args));
            }
            parsed.values.put(args[i].substring(2), args[i + 1]);
        }
        return parsed;
    }

    public String text(String name, String otherwise) {
        return values.getOrDefault(name, otherwise);
    }

    public int integer(String name, int otherwise) {
        String value = values.get(name);
        try {
            return value == null ? otherwise : Integer.parseInt(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a whole number, not '" + value + "'");
        }
    }

    public double decimal(String name, double otherwise) {
        String value = values.get(name);
        try {
            return value == null ? otherwise : Double.parseDouble(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("--" + name + " takes a number, not '" + value + "'");
        }
    }

    /** A time given in seconds, decimals allowed (to the millisecond). */
    public Duration seconds(String name, double otherwise) {
        return Duration.ofMillis((long) (decimal(name, otherwise) * 1000));
    }
}
