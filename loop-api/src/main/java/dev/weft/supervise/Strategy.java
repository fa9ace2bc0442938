package dev.weft.supervise;

/** Which children a supervisor restarts when one of them is restarted, as OTP's restart strategies. */
public enum Strategy {
    /** Only the child that ended: its siblings are untouched. For children that do not depend on each other. */
    ONE_FOR_ONE,
    /** Every child: the others are stopped (in reverse start order) and all are started again in order. */
    ONE_FOR_ALL,
    /**
     * The child that ended and those started after it, which are taken to depend on it: they are stopped in reverse
     * start order, then it and they are started again in order.
     */
    REST_FOR_ONE
}
