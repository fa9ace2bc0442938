package dev.weft.samples;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.networknt.schema.InputFormat;
import com.networknt.schema.Schema;
import com.networknt.schema.SchemaRegistry;
import com.networknt.schema.SpecificationVersion;
import dev.weft.dump.TaskDump;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.Tasks;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code weft dump PID}: a Weft program in another JVM, on each backend, dumped as text and as JSON that validates
 * against {@code docs/task-dump.schema.json}; and the errors for a PID that is no JVM, a JVM without Weft, and no
 * process at all.
 */
@Timeout(60)
class DumpCommandTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Schema SCHEMA = SchemaRegistry.withDefaultDialect(SpecificationVersion.DRAFT_2020_12)
            .getSchema(read(Path.of("..", "docs", "task-dump.schema.json")));

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopWhatWasStarted() throws InterruptedException {
        for (Process process : started) {
            process.destroyForcibly(); // by its PID, the process this test started
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }

    private static String read(Path path) {
        try {
            return Files.readString(path);
        } catch (IOException e) {
            throw new AssertionError("cannot read " + path.toAbsolutePath(), e);
        }
    }

    /** Start a JVM on this test's class path running the class, and wait for its first line. */
    private Process startJvm(String mainClass, String... properties) throws IOException {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--add-opens=java.base/java.lang=ALL-UNNAMED", "--enable-native-access=ALL-UNNAMED"));
        command.addAll(List.of(properties));
        command.addAll(List.of("-cp", System.getProperty("java.class.path"), mainClass));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        started.add(process);
        BufferedReader lines = new BufferedReader(new InputStreamReader(process.getInputStream(),
                StandardCharsets.UTF_8));
        assertEquals("ready", lines.readLine(), "the program's first line");
        return process;
    }

    private static List<String> validationErrors(String json) {
        return SCHEMA.validate(json, InputFormat.JSON).stream().map(Object::toString).toList();
    }

    @ParameterizedTest
    @ValueSource(strings = {"nio", "epoll", "iouring", "vthreads"})
    void dumpsTheTaskTreeOfAWeftProcessAsTextAndValidJson(String backend) throws Exception {
        Process target = startJvm(DumpTarget.class.getName(), "-Dweft.loop=" + backend);
        String pid = Long.toString(target.pid());

        CommandLine text = CommandLine.weft("dump", pid);
        assertEquals(0, text.status, text.err);
        assertTrue(text.out.startsWith("Weft task dump of pid " + pid), text.out);
        assertTrue(text.out.contains("(" + backend + ", carried, running), 3 tasks"), text.out);
        int main = text.out.indexOf("└── main (");
        int group = text.out.indexOf("    └── TaskGroup ", main);
        int receiver = text.out.indexOf("        ├── receiver (", group);
        int sleeper = text.out.indexOf("        └── sleeper (", receiver);
        assertTrue(main > 0 && group > main && receiver > group && sleeper > receiver, text.out);
        assertTrue(text.out.contains("suspended in Channel.receive("), text.out);
        assertTrue(text.out.contains("at " + DumpTarget.class.getName() + ".lambda$main$"), text.out);

        CommandLine json = CommandLine.weft("dump", pid, "--json");
        assertEquals(0, json.status, json.err);
        assertEquals(List.of(), validationErrors(json.out), json.out);
        JsonNode loop = JSON.readTree(json.out).get("loops").get(0);
        assertEquals(backend, loop.get("backend").asText());
        JsonNode tasks = loop.get("tasks");
        assertEquals(List.of("main", "receiver", "sleeper"), List.of(tasks.get(0).get("name").asText(),
                tasks.get(1).get("name").asText(), tasks.get(2).get("name").asText()));
        String groupId = loop.get("scopes").get(0).get("id").asText();
        assertEquals(groupId, tasks.get(0).get("awaits").asText(), "main awaits its group");
        assertEquals(groupId, tasks.get(1).get("scope").asText());
        assertEquals("sleep", tasks.get(2).get("suspendedIn").get("method").asText());
    }

    @Test
    void anInProcessDumpValidatesToo() {
        String json = Loops.run(() -> Loops.dump().toJson());
        assertEquals(List.of(), validationErrors(json), json);
    }

    /**
     * A chain of 10,000 tasks, each awaiting the next, the last named with quotes, control characters, non-ASCII
     * letters and a lone surrogate: the JSON validates and gives the name back; the text draws every task.
     */
    @Test
    void aTenThousandDeepChainWithAHostileNameValidates() throws Exception {
        int depth = 10_000;
        String hostile = "q\"uote\\ new\nline\r\t\u0000\u001b[31m é 漢 \uD83D\uDE00 lone\uD800";
        TaskDump dump = Loops.run(() -> {
            Future<Void> bottom = EventLoop.current().createFuture();
            Future<Void> release = EventLoop.current().createFuture();
            Task<Void> top = chain(1, depth, hostile, bottom, release);
            bottom.await();
            TaskDump taken = Loops.dump();
            release.setResult(null);
            top.await();
            return taken;
        });
        String json = dump.toJson();
        assertEquals(List.of(), validationErrors(json));
        JsonNode tasks = JSON.readTree(json).get("loops").get(0).get("tasks");
        assertEquals(depth + 1, tasks.size(), "main and the chain");
        assertEquals(hostile, tasks.get(depth).get("name").asText(), "the name, lone surrogate and all");
        List<String> lines = dump.toText().lines().toList();
        assertEquals(depth + 1, lines.stream().filter(line -> line.contains("── ")).count(), "a node per task");
        assertTrue(lines.stream().allMatch(line -> line.length() < 300), "lines of bounded length");
    }

    /** Task {@code i} of the chain: it awaits task {@code i + 1}; the last says so and awaits the release. */
    private static Task<Void> chain(int i, int depth, String lastName, Future<Void> bottom, Future<Void> release) {
        return Tasks.spawn(i == depth ? lastName : "n" + i, () -> {
            if (i == depth) {
                bottom.setResult(null);
                release.await();
            } else {
                chain(i + 1, depth, lastName, bottom, release).await();
            }
        });
    }

    @Test
    void aProcessThatIsNoJvmIsNamedSo() throws Exception {
        Process shell = new ProcessBuilder("sh", "-c", "echo ready; exec sleep 60").start();
        started.add(shell);
        assertEquals("ready", new BufferedReader(new InputStreamReader(shell.getInputStream())).readLine());
        CommandLine dump = CommandLine.weft("dump", Long.toString(shell.pid()));
        assertEquals(DumpCommand.NOT_A_JVM, dump.status, dump.err);
        assertTrue(dump.err.contains("PID " + shell.pid()) && dump.err.contains("is not a Java virtual machine"),
                dump.err);
    }

    @Test
    void aJvmWithoutWeftIsNamedSo() throws Exception {
        Process plain = startJvm(PlainJvm.class.getName());
        CommandLine dump = CommandLine.weft("dump", Long.toString(plain.pid()));
        assertEquals(DumpCommand.NO_WEFT, dump.status, dump.err);
        assertTrue(dump.err.contains("runs no Weft event loop"), dump.err);
    }

    @Test
    void aPidOfNoProcessAndABadArgumentAreNamedSo() throws Exception {
        Process ended = new ProcessBuilder("true").start();
        ended.waitFor();
        CommandLine dump = CommandLine.weft("dump", Long.toString(ended.pid()));
        assertEquals(DumpCommand.NOT_A_JVM, dump.status, dump.err);
        assertTrue(dump.err.contains("no process with PID " + ended.pid()), dump.err);
        CommandLine usage = CommandLine.weft("dump", "twelve");
        assertEquals(Command.USAGE, usage.status);
        assertTrue(usage.err.contains("give the PID"), usage.err);
    }

    /** A process that never answers (stopped once its JMX agent is up): the command gives up, it does not hang. */
    @Test
    void aStoppedProcessIsGivenUpOnAfterTheTimeout() throws Exception {
        Process target = startJvm(DumpTarget.class.getName(), "-Dweft.loop=nio");
        String pid = Long.toString(target.pid());
        CommandLine first = CommandLine.weft("dump", pid);
        assertEquals(0, first.status, first.err); // its attach listener and JMX agent run now
        assertEquals(0, new ProcessBuilder("kill", "-STOP", pid).start().waitFor(), "stopped");
        CommandLine stopped = CommandLine.weft("dump", pid, "--timeout", "2");
        assertEquals(DumpCommand.NO_ANSWER, stopped.status, stopped.err);
        assertTrue(stopped.err.contains("PID " + pid + " did not answer within 2 s"), stopped.err);
        CommandLine badTimeout = CommandLine.weft("dump", pid, "--timeout", "0");
        assertEquals(Command.USAGE, badTimeout.status, badTimeout.err);
    }

    @Test
    void aJvmWithTheAttachMechanismDisabledIsNamedSo() throws Exception {
        Process target = startJvm(DumpTarget.class.getName(), "-XX:+DisableAttachMechanism");
        CommandLine dump = CommandLine.weft("dump", Long.toString(target.pid()), "--timeout", "30");
        assertEquals(DumpCommand.NOT_A_JVM, dump.status, dump.err);
        assertTrue(dump.err.contains("-XX:+DisableAttachMechanism"), dump.err);
    }

    /** A JVM that makes no loop: prints "ready" and waits to be stopped. */
    public static final class PlainJvm {
        public static void main(String[] args) throws IOException {
            System.out.println("ready");
            System.out.flush();
            System.in.read(); // its test never writes: it waits until stopped
        }
    }
}
