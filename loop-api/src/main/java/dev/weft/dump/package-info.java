/**
 * Task dumps: what every loop's tasks are doing, as a tree of who awaits whom — Weft's {@code asyncio pstree}.
 *
 * <p>{@link dev.weft.loop.Loops#dump()} takes one in process; from outside, the {@link TaskDumpMXBean}
 * ({@code dev.weft:type=TaskDump}) returns the same dump as text or JSON, and {@code ./weft dump PID} attaches to a
 * JVM and prints it. {@code jcmd} cannot run a library's own diagnostic command (its commands are built into the JVM),
 * so {@code jcmd PID ManagementAgent.start_local} followed by a JMX client is the JDK-only route; {@code weft dump} does
 * both through the Attach API.
 *
 * <p>The model ({@link TaskDump}, {@link LoopDump}, {@link TaskEntry}, {@link ScopeEntry}, {@link Frame}) is plain
 * records; {@link TaskDump#toText()} draws the tree and {@link TaskDump#toJson()} writes the schema in
 * {@code docs/task-dump.schema.json}. The JSON writer here is a small hand-written one on purpose: loop-api depends on
 * the JDK only, and the dump must be written inside the dumped process, which may have no JSON library at all (a
 * Weft program without the HTTP client has none). Writing a fixed schema of strings, numbers and booleans needs no
 * more than escaping strings.
 *
 * <p>Everything here is immutable and thread-safe.
 */
package dev.weft.dump;
