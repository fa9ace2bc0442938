package dev.weft.bench.soak;

import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;

import javax.management.JMException;
import javax.management.MBeanServerConnection;
import javax.management.ObjectName;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXServiceURL;
import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;

/**
 * Asks a server JVM under test for what only it knows — its heap after a full collection and its tasks alive — over
 * JMX, through the local management agent the Attach API starts in it. No flag is needed at the server's start.
 */
final class JmxProbe implements AutoCloseable {
    private final long pid;
    private final JMXConnector connector;
    private final MBeanServerConnection server;

    private JmxProbe(long pid, JMXConnector connector) throws IOException {
        this.pid = pid;
        this.connector = connector;
        this.server = connector.getMBeanServerConnection();
    }

    static JmxProbe attach(long pid) throws IOException {
        VirtualMachine vm;
        try {
            vm = VirtualMachine.attach(String.valueOf(pid));
        } catch (AttachNotSupportedException e) {
            throw new IOException("cannot attach to the server JVM " + pid + ": " + e.getMessage(), e);
        }
        try {
            String address = vm.startLocalManagementAgent();
            return new JmxProbe(pid, JMXConnectorFactory.connect(new JMXServiceURL(address)));
        } finally {
            vm.detach();
        }
    }

    /** The server's footprint now, after a full collection in it. */
    Footprint footprint() throws IOException {
        MemoryMXBean memory = ManagementFactory.newPlatformMXBeanProxy(server, ManagementFactory.MEMORY_MXBEAN_NAME,
                MemoryMXBean.class);
        memory.gc();
        return Footprint.of(pid, memory.getHeapMemoryUsage().getUsed(), tasksAlive());
    }

    /** The sum of TasksAlive over the server's loops' MBeans, or -1 if it registered none (metrics off). */
    private long tasksAlive() throws IOException {
        try {
            long sum = -1;
            for (ObjectName loop : server.queryNames(new ObjectName("dev.weft:type=Loop,*"), null)) {
                sum = Math.max(sum, 0) + ((Number) server.getAttribute(loop, "TasksAlive")).longValue();
            }
            return sum;
        } catch (JMException e) {
            throw new IOException("cannot read the loops' TasksAlive: " + e, e);
        }
    }

    @Override
    public void close() throws IOException {
        connector.close();
    }
}
