package dev.weft.loop;

/**
 * A callback scheduled in debug mode, with where it was scheduled. It carries its own creation stack rather than
 * listing it in the loop's weak map: callbacks are made at every hop, and a weak entry per callback cost the garbage
 * collector several times what the capture costs.
 */
final class TracedHandle extends Handle {
    final Throwable createdAt = StackFrames.capture();

    TracedHandle(Runnable callback) {
        super(callback);
    }

    /** As the plain {@link Handle} it stands for: debug mode does not change what a callback is called. */
    @Override
    public String toString() {
        return Handle.class.getSimpleName() + super.toString().substring(TracedHandle.class.getSimpleName().length());
    }
}
