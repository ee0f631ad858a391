package dev.nojit.vkernel.fs;

/** poll(2) event bits. */
public final class Poll {
    private Poll() {}

    public static final int POLLIN = 0x1, POLLPRI = 0x2, POLLOUT = 0x4, POLLERR = 0x8, POLLHUP = 0x10, POLLNVAL = 0x20,
            POLLRDNORM = 0x40, POLLWRNORM = 0x100;
}
