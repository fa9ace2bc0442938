package dev.weft.loop;

import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Optional;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class NamedLoopPolicyTest {

    /** A provider that only answers the policy's questions; no loop is ever made from it here. */
    record FakeProvider(String name, int priority, Throwable cause) implements LoopProvider {
        @Override
        public String description() {
            return "fake";
        }

        @Override
        public boolean isAvailable() {
            return cause == null;
        }

        @Override
        public Optional<Throwable> unavailabilityCause() {
            return Optional.ofNullable(cause);
        }

        @Override
        public Set<Capability> capabilities() {
            return Set.of();
        }

        @Override
        public EventLoop newLoop() {
            throw new UnsupportedOperationException("fake");
        }
    }

    private final FakeProvider iouring = new FakeProvider("iouring", 30,
            new IllegalStateException("io_uring disabled by sysctl kernel.io_uring_disabled=2"));
    private final FakeProvider epoll = new FakeProvider("epoll", 20, null);
    private final FakeProvider nio = new FakeProvider("nio", 10, null);
    private final List<LoopProvider> providers = List.of(iouring, epoll, nio);

    @Test
    void autoPicksTheBestAvailable() {
        assertSame(epoll, new NamedLoopPolicy("auto").choose(providers));
        assertSame(epoll, new NamedLoopPolicy("").choose(providers));
    }

    @Test
    void aNamePicksThatProvider() {
        assertSame(nio, new NamedLoopPolicy("nio").choose(providers));
        assertSame(nio, new NamedLoopPolicy(" NIO ").choose(providers));
    }

    @Test
    void anUnknownNameListsTheKnownOnes() {
        UnknownLoopException e = assertThrows(UnknownLoopException.class,
                () -> new NamedLoopPolicy("bogus").choose(providers));
        assertEquals(List.of("iouring", "epoll", "nio"), e.known());
        assertTrue(e.getMessage().contains("known loops: auto, iouring, epoll, nio"), e.getMessage());
    }

    @Test
    void anUnavailableNameFailsWithTheProbesCause() {
        LoopUnavailableException e = assertThrows(LoopUnavailableException.class,
                () -> new NamedLoopPolicy("iouring").choose(providers));
        assertSame(iouring.cause(), e.getCause());
        assertTrue(e.getMessage().contains("kernel.io_uring_disabled=2"), e.getMessage());
        assertTrue(e.getMessage().contains("one of: epoll, nio"), e.getMessage());
    }

    @Test
    void autoWithNothingAvailableSaysWhy() {
        LoopUnavailableException e = assertThrows(LoopUnavailableException.class,
                () -> new NamedLoopPolicy("auto").choose(List.of(iouring)));
        assertTrue(e.getMessage().contains("iouring (io_uring disabled"), e.getMessage());
        assertThrows(LoopUnavailableException.class, () -> new NamedLoopPolicy("auto").choose(List.of()));
    }

    /** Installed with -Dweft.loop.policy by the test below. */
    public static final class LowestPriorityPolicy implements LoopPolicy {
        @Override
        public LoopProvider choose(List<LoopProvider> all) {
            return all.getLast();
        }
    }

    @Test
    void aCustomPolicyComesFromTheProperty() {
        System.setProperty(Loops.POLICY_PROPERTY, LowestPriorityPolicy.class.getName());
        try {
            assertSame(nio, Loops.policy().choose(providers));
            System.setProperty(Loops.POLICY_PROPERTY, "no.such.Policy");
            InvalidStateException missing = assertThrows(InvalidStateException.class, Loops::policy);
            assertTrue(missing.getMessage().contains("no.such.Policy cannot be loaded"), missing.getMessage());
            System.setProperty(Loops.POLICY_PROPERTY, String.class.getName());
            InvalidStateException wrongType = assertThrows(InvalidStateException.class, Loops::policy);
            assertTrue(wrongType.getMessage().contains("does not implement"), wrongType.getMessage());
        } finally {
            System.clearProperty(Loops.POLICY_PROPERTY);
        }
    }
}
