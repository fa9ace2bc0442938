package dev.weft.channel;

import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

/**
 * A waiter that looked at the channel before {@code close()} and posts itself in the lane after it: nothing begun
 * after {@code close()} returned may meet it. The posts below stand in for that waiter (the steps between its first
 * look and its spin), which a test cannot stop at from outside.
 */
class LaneTest {
    @Test
    void aSendBegunAfterCloseFailsEvenIfAReceiverPostedItselfLate() {
        Channel<String> channel = Channel.unbuffered();
        channel.close();
        Lane.Receiver receiver = channel.lane.postReceiver();
        assertNotNull(receiver);
        assertThrows(SendOnClosedChannelException.class, () -> channel.send("late"));
        assertFalse(receiver.answered(), "the late receiver was given nothing");
    }

    @Test
    void aReceiveBegunAfterCloseSeesTheEndEvenIfASenderPostedItselfLate() {
        Channel<String> channel = Channel.unbuffered();
        channel.close();
        Object sender = channel.lane.postSender("late");
        assertNotNull(sender);
        assertEquals(new TryReceive.Closed<>(), channel.tryReceive());
        assertThrows(ChannelClosedException.class, channel::receive);
        assertFalse(channel.lane.answered(sender), "the late sender's item was not taken");
    }
}
