package dev.weft.loop;

import dev.weft.dump.TaskDumpMXBean;

import java.lang.System.Logger.Level;
import java.lang.management.ManagementFactory;
import javax.management.InstanceAlreadyExistsException;
import javax.management.ObjectName;

/**
 * The {@link TaskDumpMXBean}, registered once per process by {@link LiveLoops} (which says when). Only this class
 * names javax.management: a runtime image without that module never loads it.
 */
final class TaskDumpBean implements TaskDumpMXBean {
    private static final System.Logger LOG = System.getLogger("dev.weft.dump");

    static void register() {
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
