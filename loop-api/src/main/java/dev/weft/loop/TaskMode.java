package dev.weft.loop;

import java.util.Locale;

/**
 * How a task gets a thread. Both modes keep the threading contract; they differ in cost.
 *
 * <p>Chosen per loop; the default is {@link #bestAvailable()}, which {@code -Dweft.tasks=carried|baton} overrides.
 */
public enum TaskMode {
    /**
     * A task is a virtual thread whose scheduler is its loop: parking yields the loop thread, unparking queues the
     * task's continuation on the loop. Needs {@code --add-opens java.base/java.lang=ALL-UNNAMED}.
     */
    CARRIED,
    /**
     * A task is an ordinary virtual thread that runs only while it holds its loop's baton; the loop thread waits
     * meanwhile. Every step costs two thread hand-offs, and a task that blocks outside await blocks its loop.
     */
    BATON;

    /** {@code -Dweft.tasks} if set, else {@link #CARRIED} when the JVM allows it, else {@link #BATON}. */
    public static TaskMode bestAvailable() {
        String forced = System.getProperty("weft.tasks");
        if (forced != null && !forced.isBlank()) {
            return switch (forced.trim().toLowerCase(Locale.ROOT)) {
                case "carried" -> CARRIED;
                case "baton" -> BATON;
                default -> throw new IllegalArgumentException(
                        "-Dweft.tasks=" + forced + " is not a task mode; use carried or baton");
            };
        }
        return CarriedThreads.isAvailable() ? CARRIED : BATON;
    }
}
