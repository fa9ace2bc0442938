package dev.weft.samples;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import dev.weft.dump.TaskDumpMXBean;
import dev.weft.loop.Loops;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import javax.management.JMX;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;

/**
 * {@code weft dump PID [--json]}: the task tree of a running Weft process. It attaches to the JVM with the Attach
 * API, has it start its local JMX agent (what {@code jcmd PID ManagementAgent.start_local} does), and calls the
 * process's {@link TaskDumpMXBean}. {@code jcmd} itself cannot print it: its commands are built into the JVM.
 */
final class DumpCommand implements Command {
    /** Exit status when the PID is no process, or no JVM this user can attach to. */
    static final int NOT_A_JVM = 1;
    /** Exit status when the PID is a JVM that runs no Weft loop. */
    static final int NO_WEFT = 3;
    /** Exit status when the JVM did not answer in time: stopped ({@code kill -STOP}, a debugger), or swamped. */
    static final int NO_ANSWER = 4;
    /** How long the JVM is given to answer, unless {@code --timeout} says otherwise. */
    private static final int DEFAULT_TIMEOUT_SECONDS = 15;
    /** How long a JVM is given to register its MBean: it does so on a thread of its own when it first runs a loop. */
    private static final long REGISTRATION_MILLIS = 2000;

    @Override
    public String name() {
        return "dump";
    }

    @Override
    public String summary() {
        return "print what every task of a running Weft process is doing, as a tree of who awaits whom: PID [--json] "
                + "[--timeout SECONDS]";
    }

    @Override
    public String help() {
        return """
                usage: weft dump PID [--json] [--timeout SECONDS]

                Every loop's tasks in the Weft process PID, as a tree of who awaits whom: each task with its
                state, what it awaits, and the program's frames where it is suspended. Attaches with the JDK's
                Attach API (same user; not with -XX:+DisableAttachMechanism) and reads the dev.weft:type=TaskDump
                MBean over JMX.
                  --json               the JSON form (schema: docs/task-dump.schema.json)
                  --timeout SECONDS    how long the process is given to answer (default 15); a loop
                                       that is blocked costs it up to a second

                exit status: 0 printed; 1 no such process, or not a JVM this user can attach to;
                             2 usage; 3 a JVM that runs no Weft loop; 4 no answer in time (a process
                             stopped, or too busy to answer)

                example: weft dump 12345 --json
                """;
    }

    @Override
    public int run(List<String> args, PrintStream out, PrintStream err) throws Exception {
        boolean json = false;
        int timeoutSeconds = DEFAULT_TIMEOUT_SECONDS;
        List<String> rest = new ArrayList<>();
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).equals("--json")) {
                json = true;
            } else if (args.get(i).equals("--timeout") && i + 1 < args.size()
                    && args.get(i + 1).matches("[1-9][0-9]{0,5}")) {
                timeoutSeconds = Integer.parseInt(args.get(++i));
            } else {
                rest.add(args.get(i));
            }
        }
        if (rest.size() != 1 || !rest.getFirst().matches("[1-9][0-9]{0,18}")) {
            err.println("weft dump: give the PID of a Weft process, and --json for JSON, --timeout SECONDS (a whole "
                    + "number from 1) for how long it may take to answer; not " + args);
            return USAGE;
        }
        long pid = Long.parseLong(rest.getFirst());
        if (pid == ProcessHandle.current().pid()) {
            out.print(json ? Loops.dump().toJson() : Loops.dump().toText()); // the JDK refuses to attach to itself
            return 0;
        }
        Optional<ProcessHandle> process = ProcessHandle.of(pid).filter(ProcessHandle::isAlive);
        if (process.isEmpty()) {
            err.println("weft dump: no process with PID " + pid + " is running");
            return NOT_A_JVM;
        }
        // Neither the Attach API nor JMX over RMI has a timeout of its own: a stopped process would hang the
        // command for ever. The exchange runs on a daemon thread, which a process that never answers strands.
        boolean asJson = json;
        FutureTask<Integer> exchange = new FutureTask<>(() -> dump(pid, process.get(), asJson, out, err));
        Thread.ofPlatform().daemon().name("weft-dump-" + pid).start(exchange);
        try {
            return exchange.get(timeoutSeconds, TimeUnit.SECONDS);
        } catch (TimeoutException e) {
            exchange.cancel(true);
            err.println("weft dump: PID " + pid + " did not answer within " + timeoutSeconds + " s: it is stopped "
                    + "(kill -STOP, a debugger) or too busy to serve the Attach API and JMX; try again, or give it "
                    + "longer with --timeout SECONDS");
            return NO_ANSWER;
        } catch (ExecutionException e) {
            throw e.getCause() instanceof Exception cause ? cause : e;
        }
    }

    /** Attach to the process, read its dump over JMX and print it; the exit status. */
    private static int dump(long pid, ProcessHandle process, boolean json, PrintStream out, PrintStream err)
            throws Exception {
        String agent;
        try {
            agent = localAgent(pid);
        } catch (AttachNotSupportedException | IOException e) {
            String command = process.info().command().map(c -> " (" + c + ")").orElse("");
            err.println("weft dump: PID " + pid + command + " is not a Java virtual machine this user can attach to: "
                    + e.getMessage() + ". A Weft process can be dumped by the user that runs it, unless it was "
                    + "started with -XX:+DisableAttachMechanism");
            return NOT_A_JVM;
        }
        try (JMXConnector connector = JMXConnectorFactory.connect(new JMXServiceURL(agent))) {
            MBeanServerConnection server = connector.getMBeanServerConnection();
            ObjectName name = new ObjectName(TaskDumpMXBean.OBJECT_NAME);
            if (!registered(server, name)) {
                err.println("weft dump: PID " + pid + " is a Java virtual machine, but runs no Weft event loop (it has "
                        + "no " + TaskDumpMXBean.OBJECT_NAME + " MBean; -Dweft.dump.mbean=false also leaves it out)");
                return NO_WEFT;
            }
            TaskDumpMXBean dump = JMX.newMXBeanProxy(server, name, TaskDumpMXBean.class);
            out.print(json ? dump.dumpJson() : dump.dumpText());
            return 0;
        }
    }

    /** The address of the JVM's local JMX agent, started if it was not. */
    private static String localAgent(long pid) throws AttachNotSupportedException, IOException {
        VirtualMachine vm = VirtualMachine.attach(Long.toString(pid));
        try {
            return vm.startLocalManagementAgent();
        } finally {
            vm.detach();
        }
    }

    /** Whether the MBean is there, waiting a little for a process that has only just started its first loop. */
    private static boolean registered(MBeanServerConnection server, ObjectName name)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + REGISTRATION_MILLIS * 1_000_000;
        while (!server.isRegistered(name)) {
            if (System.nanoTime() - deadline > 0) {
                return false;
            }
            Thread.sleep(50); // a command line polling another process: there is no event to await
        }
        return true;
    }
}
