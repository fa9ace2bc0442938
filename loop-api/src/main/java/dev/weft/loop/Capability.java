package dev.weft.loop;

/** What a backend can do beyond callbacks, timers and tasks, which every backend provides. */
public enum Capability {
    TCP,
    UDP,
    UNIX_SOCKETS,
    TLS,
    SENDFILE,
    REUSE_PORT
}
