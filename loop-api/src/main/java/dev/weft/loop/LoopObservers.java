package dev.weft.loop;

import java.lang.System.Logger.Level;
import java.util.List;
import java.util.ServiceLoader;
import java.util.function.BiConsumer;

/** The installed {@link LoopObserver}s, loaded once, and the calls to them that must not take a loop down. */
final class LoopObservers {
    private static final System.Logger LOG = System.getLogger("dev.weft.loop");

    private LoopObservers() {
    }

    private static final class Installed {
        static final List<LoopObserver> ALL = ServiceLoader.load(LoopObserver.class, LoopObserver.class.getClassLoader())
                .stream().map(ServiceLoader.Provider::get).toList();
    }

    static void started(EventLoop loop) {
        tell(loop, LoopObserver::loopStarted);
    }

    static void closed(EventLoop loop) {
        tell(loop, LoopObserver::loopClosed);
    }

    private static void tell(EventLoop loop, BiConsumer<LoopObserver, EventLoop> call) {
        for (LoopObserver observer : Installed.ALL) {
            try {
                call.accept(observer, loop);
            } catch (RuntimeException | LinkageError e) {
                // A LinkageError too: a monitoring module whose library is missing must not stop the loop or its close
                LOG.log(Level.WARNING, "weft: the loop observer " + observer + " threw", e);
            }
        }
    }
}
