package dev.weft.vthreads;

import dev.weft.loop.Capability;
import dev.weft.loop.EventLoop;
import dev.weft.loop.LoopProvider;
import dev.weft.loop.Loops;
import dev.weft.loop.NamedLoopPolicy;
import org.junit.jupiter.api.Test;

import java.net.StandardSocketOptions;
import java.nio.channels.ServerSocketChannel;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The provider: found by ServiceLoader, chosen by name, never by {@code auto} while nio is there. */
class VirtualThreadLoopProviderTest {

    @Test
    void isFoundAndChosenByItsName() {
        LoopProvider chosen = new NamedLoopPolicy("vthreads").choose(Loops.providers());
        assertInstanceOf(VirtualThreadLoopProvider.class, chosen);
        assertEquals(5, chosen.priority());
        assertTrue(chosen.isAvailable());
        assertEquals(Optional.empty(), chosen.unavailabilityCause());
        try (EventLoop loop = chosen.newLoop()) {
            assertInstanceOf(VirtualThreadEventLoop.class, loop);
            assertEquals("vthreads", loop.backendName());
        }
    }

    @Test
    void autoPrefersNio() {
        assertEquals("nio", new NamedLoopPolicy("auto").choose(Loops.providers()).name());
    }

    @Test
    void declaresTcpUdpUnixAndReusePortWhereTheJdkHasIt() throws Exception {
        boolean reusePort;
        try (ServerSocketChannel probe = ServerSocketChannel.open()) {
            reusePort = probe.supportedOptions().contains(StandardSocketOptions.SO_REUSEPORT);
        }
        Set<Capability> expected = reusePort
                ? Set.of(Capability.TCP, Capability.UDP, Capability.UNIX_SOCKETS, Capability.REUSE_PORT)
                : Set.of(Capability.TCP, Capability.UDP, Capability.UNIX_SOCKETS);
        assertEquals(expected, new VirtualThreadLoopProvider().capabilities());
    }
}
