package dev.weft.loop;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * The default policy: {@code -Dweft.loop=NAME} picks a provider by name, {@code auto} (the default) the available one
 * with the highest priority, and says which in the log.
 */
public final class NamedLoopPolicy implements LoopPolicy {
    public static final String PROPERTY = "weft.loop";
    public static final String AUTO = "auto";

    private static final AtomicBoolean CHOICE_LOGGED = new AtomicBoolean();

    private final String name;

    /** The policy that reads {@code -Dweft.loop}. */
    public NamedLoopPolicy() {
        this(System.getProperty(PROPERTY, AUTO));
    }

    public NamedLoopPolicy(String name) {
        this.name = name.trim().toLowerCase(Locale.ROOT);
    }

    @Override
    public LoopProvider choose(List<LoopProvider> providers) {
        if (name.isEmpty() || name.equals(AUTO)) {
            return chooseBest(providers);
        }
        for (LoopProvider provider : providers) {
            if (provider.name().equals(name)) {
                if (!provider.isAvailable()) {
                    throw unavailable(provider, providers);
                }
                return provider;
            }
        }
        throw new UnknownLoopException(name, providers.stream().map(LoopProvider::name).toList());
    }

    private static LoopProvider chooseBest(List<LoopProvider> providers) {
        StringBuilder skipped = new StringBuilder();
        for (LoopProvider provider : providers) {
            if (provider.isAvailable()) {
                // Said once per JVM, not per loop: a program may make many loops.
                Level level = CHOICE_LOGGED.compareAndSet(false, true) ? Level.INFO : Level.DEBUG;
                System.getLogger("dev.weft.loop").log(level, "weft: event loop '" + provider.name()
                        + "' chosen by -Dweft.loop=auto" + (skipped.isEmpty() ? "" : "; skipped " + skipped));
                return provider;
            }
            skipped.append(skipped.isEmpty() ? "" : ", ").append(provider.name()).append(" (")
                    .append(provider.unavailabilityCause().map(Throwable::getMessage).orElse("unavailable"))
                    .append(')');
        }
        throw new LoopUnavailableException("no event loop is available: "
                + (providers.isEmpty() ? "no LoopProvider is installed; put loop-nio on the class path" : skipped),
                null);
    }

    private static LoopUnavailableException unavailable(LoopProvider provider, List<LoopProvider> providers) {
        Throwable cause = provider.unavailabilityCause().orElse(null);
        List<String> others = providers.stream().filter(LoopProvider::isAvailable).map(LoopProvider::name).toList();
        return new LoopUnavailableException("event loop '" + provider.name() + "' is unavailable: "
                + (cause != null ? cause.getMessage() : "its probe failed")
                + "; use -Dweft.loop=auto" + (others.isEmpty() ? "" : " or one of: " + String.join(", ", others)),
                cause);
    }

    @Override
    public String toString() {
        return "-D" + PROPERTY + "=" + name;
    }
}
