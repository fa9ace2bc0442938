package dev.weft.testkit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.weft.channel.Channel;
import dev.weft.dump.Frame;
import dev.weft.dump.LoopDump;
import dev.weft.dump.ScopeEntry;
import dev.weft.dump.TaskDump;
import dev.weft.dump.TaskEntry;
import dev.weft.dump.TaskState;
import dev.weft.loop.Async;
import dev.weft.loop.EventLoop;
import dev.weft.loop.Future;
import dev.weft.loop.Loops;
import dev.weft.loop.Task;
import dev.weft.loop.TaskMode;
import dev.weft.loop.TaskScope;
import dev.weft.loop.Tasks;
import dev.weft.scope.TaskGroup;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * Task dumps ({@link Loops#dump()}): the tree of who awaits whom, states, where each task was spawned and where it is
 * suspended, the same in text and in JSON, from the loop itself, from another thread, and of a loop that is blocked.
 */
public abstract class TaskDumpSuite extends LoopSuite {
    private static final ObjectMapper JSON = new ObjectMapper();

    /** The tree of the suite's tests: a parent closing a group of a receiver and a sleeper. */
    private record Tree(Task<Void> parent, TaskDump dump) {
    }

    /**
     * Start "parent", which opens a group of "receiver" (awaiting a channel) and "sleeper" (asleep) and awaits it;
     * return once all three are suspended, with a dump of the loop taken then.
     */
    private Tree startTree() {
        Channel<String> nothingComes = Channel.unbuffered();
        Future<Void> asleep = loop.createFuture();
        Task<Void> parent = Tasks.spawn("parent", () -> {
            try (TaskGroup group = TaskGroup.open()) {
                group.spawn("receiver", () -> {
                    nothingComes.receive();
                });
                group.spawn("sleeper", () -> {
                    asleep.setResult(null); // its wake-up runs once this task is suspended: one thread
                    Async.sleep(NEVER);
                });
            }
        });
        asleep.await(); // the parent and the receiver ran before the sleeper and are suspended too
        return new Tree(parent, Loops.dump(loop));
    }

    private static void stop(Task<Void> parent) {
        parent.cancel();
        assertThrows(CancellationException.class, parent::await);
    }

    private static TaskEntry task(LoopDump loop, String name) {
        return loop.task(name).orElseThrow(() -> new AssertionError("no task '" + name + "' in " + loop));
    }

    @Test
    void aGroupIsTheParentOfItsChildrenAndItsOwnerAwaitsIt() {
        run(() -> {
            Tree tree = startTree();
            LoopDump dumped = tree.dump().loops().getFirst();
            TaskEntry parent = task(dumped, "parent");
            TaskEntry receiver = task(dumped, "receiver");
            TaskEntry sleeper = task(dumped, "sleeper");
            TaskEntry main = task(dumped, "main");

            assertEquals(1, dumped.scopes().size(), dumped.scopes().toString());
            ScopeEntry group = dumped.scopes().getFirst();
            assertEquals("TaskGroup", group.kind());
            assertEquals(parent.id(), group.owner());
            assertTrue(group.joining(), "the parent is in close(), awaiting the children");

            assertEquals(TaskState.RUNNING, main.state(), "the task that takes the dump runs");
            assertNull(main.parent());
            assertEquals(main.id(), parent.parent(), "spawned by main");
            assertEquals(TaskState.SUSPENDED, parent.state());
            assertEquals(group.id(), parent.awaits(), "the parent awaits its group");
            assertEquals("close", parent.suspendedIn().method());
            for (TaskEntry child : List.of(receiver, sleeper)) {
                assertEquals(TaskState.SUSPENDED, child.state(), child.toString());
                assertEquals(group.id(), child.scope(), child.toString());
                assertEquals(parent.id(), child.parent(), "spawned by the parent's body: " + child);
                assertNull(child.awaits(), "awaits no task: " + child);
            }
            assertEquals("dev.weft.channel.Channel", receiver.suspendedIn().className());
            assertEquals("receive", receiver.suspendedIn().method());
            assertEquals("sleep", sleeper.suspendedIn().method());
            Frame inTest = sleeper.frames().getFirst();
            assertTrue(inTest.className().startsWith(TaskDumpSuite.class.getName()) && inTest.line() > 0,
                    "the innermost program frame is the test's own lambda: " + sleeper.frames());
            assertTrue(receiver.frames().getFirst().className().startsWith(TaskDumpSuite.class.getName()),
                    receiver.frames().toString());

            String text = tree.dump().toText();
            int parentAt = text.indexOf("parent (" + parent.id() + ") suspended in TaskGroup.close(");
            int groupAt = text.indexOf("└── TaskGroup " + group.id() + " of parent (" + parent.id() + "), awaited");
            int receiverAt = text.indexOf("├── receiver (" + receiver.id() + ") suspended in Channel.receive(");
            int sleeperAt = text.indexOf("└── sleeper (" + sleeper.id() + ") suspended in Async.sleep(");
            assertTrue(parentAt > 0 && groupAt > parentAt && receiverAt > groupAt && sleeperAt > receiverAt, text);
            assertTrue(text.contains("at " + inTest), text);
            stop(tree.parent());
            return null;
        });
    }

    @Test
    void theJsonSaysWhatTheRecordsSay() {
        run(() -> {
            Tree tree = startTree();
            JsonNode json = JSON.readTree(tree.dump().toJson());
            assertEquals(TaskDump.FORMAT, json.get("format").asText());
            assertEquals(ProcessHandle.current().pid(), json.get("pid").asLong());
            assertEquals(1, json.get("loops").size());
            LoopDump dumped = tree.dump().loops().getFirst();
            JsonNode loopJson = json.get("loops").get(0);
            assertEquals(dumped.id(), loopJson.get("id").asInt());
            assertEquals(loop.backendName(), loopJson.get("backend").asText());
            assertEquals(dumped.taskMode(), loopJson.get("taskMode").asText());
            assertTrue(loopJson.get("running").asBoolean() && loopJson.get("consistent").asBoolean());
            assertEquals(dumped.tasks().size(), loopJson.get("tasks").size());
            for (int i = 0; i < dumped.tasks().size(); i++) {
                TaskEntry task = dumped.tasks().get(i);
                JsonNode node = loopJson.get("tasks").get(i);
                assertEquals(task.id(), node.get("id").asText());
                assertEquals(task.name(), node.get("name").asText());
                assertEquals(task.state().label(), node.get("state").asText());
                assertEquals(task.parent(), textOrNull(node.get("parent")));
                assertEquals(task.scope(), textOrNull(node.get("scope")));
                assertEquals(task.awaits(), textOrNull(node.get("awaits")));
                Frame in = task.suspendedIn();
                assertEquals(in == null ? null : in.method(), textOrNull(node.get("suspendedIn").get("method")));
                assertEquals(task.frames().size(), node.get("frames").size());
                for (int f = 0; f < task.frames().size(); f++) {
                    JsonNode frame = node.get("frames").get(f);
                    assertEquals(task.frames().get(f), new Frame(frame.get("class").asText(),
                            frame.get("method").asText(), textOrNull(frame.get("file")),
                            frame.get("line").isNull() ? -1 : frame.get("line").asInt()));
                }
            }
            ScopeEntry group = dumped.scopes().getFirst();
            JsonNode groupJson = loopJson.get("scopes").get(0);
            assertEquals(group.id(), groupJson.get("id").asText());
            assertEquals(group.owner(), groupJson.get("owner").asText());
            assertTrue(groupJson.get("joining").asBoolean());
            stop(tree.parent());
            return null;
        });
    }

    private static String textOrNull(JsonNode node) {
        return node == null || node.isNull() ? null : node.asText();
    }

    @Test
    void aTaskAwaitingAnotherIsDrawnAboveItAndADoneTaskIsGone() {
        run(() -> {
            Task<String> quick = Tasks.spawn("quick", () -> "done");
            quick.await();
            Future<Void> never = loop.createFuture();
            Task<Void> awaited = Tasks.spawn("awaited", () -> never.await());
            Task<Void> awaiter = Tasks.spawn("awaiter", () -> awaited.await());
            Async.sleep(Duration.ZERO); // a loop turn: both run and suspend
            Async.sleep(Duration.ZERO);
            LoopDump dumped = Loops.dump(loop).loops().getFirst();
            assertTrue(dumped.task("quick").isEmpty(), "an ended task is not in the dump: " + dumped);
            TaskEntry awaiterEntry = task(dumped, "awaiter");
            TaskEntry awaitedEntry = task(dumped, "awaited");
            assertEquals(awaitedEntry.id(), awaiterEntry.awaits());
            assertEquals(TaskState.SUSPENDED, awaitedEntry.state());
            String text = Loops.dump(loop).toText();
            int awaiterAt = text.indexOf("awaiter (" + awaiterEntry.id() + ") suspended");
            int awaitedAt = text.indexOf("└── awaited (" + awaitedEntry.id() + ") suspended");
            assertTrue(awaiterAt > 0 && awaitedAt > awaiterAt, "drawn under its awaiter:\n" + text);
            assertTrue(text.contains("awaiting awaited (" + awaitedEntry.id() + ")"), text);
            awaiter.cancel(); // cancels the task it awaits, as in asyncio
            assertThrows(CancellationException.class, awaiter::await);
            assertTrue(awaited.isCancelled());
            assertEquals(List.of("main"), Loops.dump(loop).loops().getFirst().tasks().stream()
                    .map(TaskEntry::name).toList(), "only the test's main task is left");
            return null;
        });
    }

    @Test
    void aDumpOfEveryLoopHasThisOneAndAnotherThreadGetsTheSame() {
        run(() -> {
            Tree tree = startTree();
            int id = tree.dump().loops().getFirst().id();
            assertTrue(Loops.dump().loop(id).isPresent(), "Loops.dump() lists every open loop");
            TaskDump fromOutside = Async.await(CompletableFuture.supplyAsync(Loops::dump));
            LoopDump ours = fromOutside.loop(id).orElseThrow();
            assertTrue(ours.consistent(), "the loop answered");
            assertEquals(TaskState.SUSPENDED, task(ours, "main").state(), "main awaits the other thread");
            assertEquals(TaskState.SUSPENDED, task(ours, "receiver").state());
            assertEquals(tree.dump().loops().getFirst().scopes(), ours.scopes());
            stop(tree.parent());
            return null;
        });
        assertTrue(Loops.dump(loop).loops().isEmpty(), "a closed loop is in no dump");
    }

    /** A library's scope opened outside any task has no owner: the dump draws it at the root, and does not fail. */
    @Test
    void aScopeWithNoOwnerIsDrawnAtTheRoot() throws Exception {
        TaskScope ownerless = new TaskScope() {
            @Override
            public String scopeKind() {
                return "Pool";
            }

            @Override
            public Task<?> scopeOwner() {
                return null;
            }

            @Override
            public boolean isJoining() {
                return false;
            }

            @Override
            public String toString() {
                return "Pool[of nobody]";
            }
        };
        TaskDump dump = run(() -> {
            Future<Void> never = loop.createFuture();
            Task<Void> pooled = Tasks.spawn("pooled", () -> {
                never.await();
            });
            pooled.spawnedInto(ownerless);
            TaskDump taken = Loops.dump(loop);
            stop(pooled);
            return taken;
        });
        LoopDump dumped = dump.loops().getFirst();
        ScopeEntry pool = dumped.scopes().getFirst();
        assertNull(pool.owner(), dumped.toString());
        assertEquals(pool.id(), task(dumped, "pooled").scope());
        assertTrue(dump.toText().contains("├── Pool " + pool.id() + " of no task, open: Pool[of nobody]\n│   └── pooled ("),
                dump.toText());
        assertTrue(JSON.readTree(dump.toJson()).get("loops").get(0).get("scopes").get(0).get("owner").isNull());
    }

    /** A loop held by a task that never gives it up does not answer: its tasks are read while it runs. */
    @Test
    void aBlockedLoopIsReadWhileItRunsAndSaysSo() {
        AtomicBoolean released = new AtomicBoolean();
        AtomicBoolean holding = new AtomicBoolean();
        ForeignThread<TaskDump> dumper = onForeignThread(() -> {
            try {
                assertTrue(spinUntil(holding));
                return Loops.dump(loop);
            } finally {
                released.set(true);
            }
        });
        run(() -> {
            Tasks.spawn("hog", () -> {
                holding.set(true);
                assertTrue(spinUntil(released), "released"); // holds the loop: it never awaits
            }).await();
            return null;
        });
        TaskDump dump = dumper.result().join();
        LoopDump dumped = dump.loops().getFirst();
        assertFalse(dumped.consistent(), dumped.toString());
        TaskEntry hog = task(dumped, "hog");
        assertEquals(TaskState.RUNNING, hog.state(), "the task holding the loop is the one shown running: " + dumped);
        assertTrue(hog.frames().stream().anyMatch(frame -> frame.className().startsWith(getClass().getName())
                || frame.className().startsWith(TaskDumpSuite.class.getName())), "where it spins: " + hog);
        assertEquals(TaskState.SUSPENDED, task(dumped, "main").state(), "main awaits the hog: " + dumped);
        assertTrue(dump.toText().contains("did not answer"), dump.toText());
    }

    /**
     * Two loops blocked at once: both are in the dump of every loop, each read while it runs. They are asked together,
     * so that the dump waits once for the loops that do not answer, not once per loop (a group of sixteen blocked
     * loops took sixteen seconds, past {@code weft dump}'s timeout).
     */
    @Test
    void twoBlockedLoopsAreBothReadWhileTheyRun() {
        EventLoop other = openLoop();
        AtomicBoolean released = new AtomicBoolean();
        AtomicBoolean holdingOther = new AtomicBoolean();
        AtomicBoolean holding = new AtomicBoolean();
        ForeignThread<Void> otherRunner = onForeignThread(() -> Loops.run(() -> other, () -> {
            Tasks.spawn("other hog", () -> {
                holdingOther.set(true);
                assertTrue(spinUntil(released), "released");
            }).await();
            return null;
        }));
        ForeignThread<TaskDump> dumper = onForeignThread(() -> {
            try {
                assertTrue(spinUntil(holding) && spinUntil(holdingOther));
                return Loops.dump();
            } finally {
                released.set(true);
            }
        });
        run(() -> {
            Tasks.spawn("hog", () -> {
                holding.set(true);
                assertTrue(spinUntil(released), "released");
            }).await();
            return null;
        });
        otherRunner.result().join();
        TaskDump dump = dumper.result().join();
        for (String hog : List.of("hog", "other hog")) {
            LoopDump dumped = dump.loops().stream().filter(each -> each.task(hog).isPresent()).findFirst()
                    .orElseThrow(() -> new AssertionError("no loop with '" + hog + "' in " + dump));
            assertFalse(dumped.consistent(), dumped.toString());
            assertEquals(TaskState.RUNNING, task(dumped, hog).state(), dumped.toString());
        }
    }

    /**
     * A task blocked in a JDK call (not an await): in baton mode it keeps the baton, so its loop does not answer and
     * the task is shown running, the culprit; carried, it gave its loop up, which answers and shows it suspended.
     */
    @Test
    void aTaskBlockedInAJdkCallHoldsABatonLoopAndGivesACarriedOneUp() {
        CountDownLatch release = new CountDownLatch(1);
        AtomicBoolean blocking = new AtomicBoolean();
        ForeignThread<TaskDump> dumper = onForeignThread(() -> {
            try {
                assertTrue(spinUntil(blocking));
                return Loops.dump(loop);
            } finally {
                release.countDown();
            }
        });
        run(() -> {
            Tasks.spawn("blocked", () -> {
                blocking.set(true);
                release.await(); // the JDK's latch: a carried task unmounts, a baton task keeps its loop
            }).await();
            return null;
        });
        LoopDump dumped = dumper.result().join().loops().getFirst();
        boolean baton = loop.taskMode() == TaskMode.BATON;
        assertEquals(!baton, dumped.consistent(), dumped.toString());
        assertEquals(baton ? TaskState.RUNNING : TaskState.SUSPENDED, task(dumped, "blocked").state(),
                dumped.toString());
        assertEquals(TaskState.SUSPENDED, task(dumped, "main").state(), dumped.toString());
    }
}
