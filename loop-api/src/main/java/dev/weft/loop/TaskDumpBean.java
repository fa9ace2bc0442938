package dev.weft.loop;

import dev.weft.dump.TaskDumpMXBean;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import java.util.concurrent.atomic.AtomicBoolean;
import javax.management.InstanceAlreadyExistsException;
import javax.management.ObjectName;

/**
 * The {@link TaskDumpMXBean}: registered once per process, when the first loop runs, on a thread of its own, since
 * the platform MBean server takes a while to start and a program's first loop should not wait for it.
 * {@code -Dweft.dump.mbean=false} leaves it out.
 */
final class TaskDumpBean implements TaskDumpMXBean {
    static final String ENABLED_PROPERTY = "weft.dump.mbean";
    private static final System.Logger LOG = System.getLogger("dev.weft.dump");
    private static final AtomicBoolean REGISTERED = new AtomicBoolean();

    static void registerOnce() {
        if (REGISTERED.get() || "false".equalsIgnoreCase(System.getProperty(ENABLED_PROPERTY, "true").trim())
                || !REGISTERED.compareAndSet(false, true)) {
            return;
        }
        Thread.ofPlatform().daemon().name("weft-task-dump-mbean").start(TaskDumpBean::register);
    }

    private static void register() {
        try {
            ManagementFactory.getPlatformMBeanServer().registerMBean(new TaskDumpBean(), new ObjectName(OBJECT_NAME));
        } catch (InstanceAlreadyExistsException e) {
            // a copy of Weft in another class loader registered first: its dump answers, of its own loops
            LOG.log(Level.DEBUG, "weft: " + OBJECT_NAME + " is registered already, by another copy of Weft");
        } catch (Exception | LinkageError e) { // a runtime image without java.management, a security policy...
            LOG.log(Level.WARNING, "weft: cannot register " + OBJECT_NAME + " (the task dump over JMX and "
                    + "`weft dump PID` will not reach this process; Loops.dump() still works): " + e);
        }
    }

    @Override
    public String dumpText() {
        return Loops.dump().toText();
    }

    @Override
    public String dumpJson() {
        return Loops.dump().toJson();
    }
}
