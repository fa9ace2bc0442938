package dev.weft.dump;

/**
 * The task dump over JMX, registered as {@value #OBJECT_NAME} in the platform MBean server when the process runs its
 * first loop (unless {@code -Dweft.dump.mbean=false}). {@code ./weft dump PID} calls it; so can JConsole or any JMX
 * client, after {@code jcmd PID ManagementAgent.start_local} on a JVM started without a management agent.
 */
public interface TaskDumpMXBean {
    /** The name it is registered under. */
    String OBJECT_NAME = "dev.weft:type=TaskDump";

    /** Every loop's tasks now, as the tree of {@link TaskDump#toText()}. */
    String dumpText();

    /** Every loop's tasks now, as the JSON of {@link TaskDump#toJson()}. */
    String dumpJson();
}
