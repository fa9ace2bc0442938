package dev.weft.testkit;

import dev.weft.loop.Body;
import dev.weft.loop.Capability;
import dev.weft.loop.EventLoop;
import dev.weft.loop.ExceptionHandler;
import dev.weft.loop.Future;
import dev.weft.loop.Handle;
import dev.weft.loop.LoopStats;
import dev.weft.loop.Task;
import dev.weft.loop.TaskMode;
import dev.weft.loop.TimerHandle;
import dev.weft.loop.UnhandledError;
import dev.weft.net.NetworkLoop;
import dev.weft.net.Server;
import dev.weft.net.SocketOptions;
import dev.weft.net.StreamProtocol;
import dev.weft.net.StreamTransport;

import java.net.SocketAddress;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.function.Supplier;

/**
 * A backend's loop under another backend name that forwards everything but the optional parts of the SPI: it does not
 * override {@link NetworkLoop#listen(SocketAddress, Supplier, SocketOptions, Supplier) listen with a placement} (nor
 * UDP), so it stands for a backend that lacks them; its name lets a test mix "two backends" in one group, and its
 * capabilities can be made to lack what the real backend has. A test may subclass it to break one method.
 */
class ForwardingNetworkLoop implements NetworkLoop {
    private final NetworkLoop inner;
    private final String backendName;
    private final Set<Capability> capabilities; // null: the inner loop's

    ForwardingNetworkLoop(EventLoop inner, String backendName) {
        this(inner, backendName, null);
    }

    /** Forward to {@code inner}, claiming these capabilities instead of its own (null: its own). */
    ForwardingNetworkLoop(EventLoop inner, String backendName, Set<Capability> capabilities) {
        this.inner = (NetworkLoop) inner;
        this.backendName = backendName;
        this.capabilities = capabilities;
    }

    @Override
    public String backendName() {
        return backendName;
    }

    @Override
    public TaskMode taskMode() {
        return inner.taskMode();
    }

    @Override
    public Set<Capability> capabilities() {
        return capabilities != null ? capabilities : inner.capabilities();
    }

    // @formatter:off
    @Override public void runForever() { inner.runForever(); }
    @Override public void addSignalHandler(String signal, Runnable handler) { inner.addSignalHandler(signal, handler); }
    @Override public boolean removeSignalHandler(String signal) { return inner.removeSignalHandler(signal); }
    @Override public <T> T runUntilComplete(Future<T> future) { return inner.runUntilComplete(future); }
    @Override public void stop() { inner.stop(); }
    @Override public boolean isRunning() { return inner.isRunning(); }
    @Override public boolean isClosed() { return inner.isClosed(); }
    @Override public void close() { inner.close(); }
    @Override public boolean inLoop() { return inner.inLoop(); }
    @Override public Handle callSoon(Runnable callback) { return inner.callSoon(callback); }
    @Override public Handle callSoonThreadsafe(Runnable callback) { return inner.callSoonThreadsafe(callback); }
    @Override public TimerHandle callLater(Duration delay, Runnable callback) { return inner.callLater(delay, callback); }
    @Override public TimerHandle callAt(long deadlineNanos, Runnable callback) { return inner.callAt(deadlineNanos, callback); }
    @Override public long time() { return inner.time(); }
    @Override public void execute(Runnable command) { inner.execute(command); }
    @Override public <T> Future<T> createFuture() { return inner.createFuture(); }
    @Override public <T> Task<T> createTask(String name, Body<T, ?> body) { return inner.createTask(name, body); }
    @Override public <T> CompletableFuture<T> submit(Body<T, ?> body) { return inner.submit(body); }
    @Override public <T> Future<T> wrap(CompletionStage<T> stage) { return inner.wrap(stage); }
    @Override public Set<Task<?>> allTasks() { return inner.allTasks(); }
    @Override public LoopStats stats() { return inner.stats(); }
    @Override public <T> Future<T> runInExecutor(Executor executor, Body<T, ?> call) { return inner.runInExecutor(executor, call); }
    @Override public void setExceptionHandler(ExceptionHandler handler) { inner.setExceptionHandler(handler); }
    @Override public void callExceptionHandler(UnhandledError error) { inner.callExceptionHandler(error); }
    @Override public Future<StreamTransport> connect(SocketAddress address, StreamProtocol protocol, SocketOptions options) { return inner.connect(address, protocol, options); }
    @Override public Future<Server> listen(SocketAddress address, Supplier<? extends StreamProtocol> protocols, SocketOptions options) { return inner.listen(address, protocols, options); }
    @Override public int keptBuffers() { return inner.keptBuffers(); }
    // @formatter:on

    @Override
    public String toString() {
        return backendName + "(" + inner + ")";
    }
}
