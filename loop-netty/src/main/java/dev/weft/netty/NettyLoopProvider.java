package dev.weft.netty;

import dev.weft.loop.Capability;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopProvider;
import dev.weft.loop.LoopUnavailableException;

import java.util.Optional;
import java.util.Set;

/**
 * The provider of a native Netty backend: available when Netty's probe says so (its native library loads and the
 * kernel has the feature), with the probe's own exception as the cause when not.
 */
public abstract class NettyLoopProvider implements LoopProvider {
    private final NettyBackend backend;

    protected NettyLoopProvider(NettyBackend backend) {
        this.backend = backend;
    }

    /** Netty's cause, or empty if the backend can run here. */
    protected abstract Optional<Throwable> probe();

    /** What to do when the backend cannot start here, appended to the cause. */
    protected abstract String remedy();

    @Override
    public String name() {
        return backend.name();
    }

    @Override
    public boolean isAvailable() {
        return probe().isEmpty();
    }

    @Override
    public Optional<Throwable> unavailabilityCause() {
        return probe().map(cause -> new UnsupportedOperationException(
                backend.name() + " cannot start: " + rootMessage(cause) + "; " + remedy(), cause));
    }

    /** TCP and Unix domain stream sockets, UDP, SO_REUSEPORT, and files sent by the kernel. */
    @Override
    public Set<Capability> capabilities() {
        return Set.of(Capability.TCP, Capability.UDP, Capability.UNIX_SOCKETS, Capability.REUSE_PORT,
                Capability.SENDFILE);
    }

    @Override
    public EventLoop newLoop() {
        Optional<Throwable> cause = unavailabilityCause();
        if (cause.isPresent()) {
            throw new LoopUnavailableException(cause.get().getMessage(), cause.get());
        }
        try {
            return new NettyEventLoop(backend);
        } catch (RuntimeException | Error e) { // the probe passed, but this loop's handler could not start
            throw new LoopUnavailableException(backend.name() + " loop cannot start: " + rootMessage(e) + "; "
                    + remedy(), e);
        }
    }

    private static String rootMessage(Throwable error) {
        Throwable root = error;
        while (root.getCause() != null && root.getCause() != root) {
            root = root.getCause();
        }
        return root.getMessage() != null ? root.getMessage() : root.toString();
    }
}
