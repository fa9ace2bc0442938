package dev.weft.loop;

import java.util.List;

/**
 * Chooses the backend that {@link Loops} creates loops from. The default reads {@code -Dweft.loop}; install another
 * with {@code -Dweft.loop.policy=fully.qualified.ClassName} (public, with a public no-argument constructor).
 */
@FunctionalInterface
public interface LoopPolicy {

    /**
     * Choose a provider.
     *
     * @param providers every installed provider, available or not, highest priority first
     * @throws UnknownLoopException     if the policy names a provider that is not installed
     * @throws LoopUnavailableException if the chosen provider cannot run here
     */
    LoopProvider choose(List<LoopProvider> providers);
}
