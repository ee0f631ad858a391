package dev.nojit.vkernel.fs;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/** A node kept in the container's memory layer: mode, owner, times and link count live here. */
abstract class MemNode extends Node {
    static final long DEV = 1;
    private static final AtomicLong INODES = new AtomicLong(100);

    final long ino = INODES.incrementAndGet();
    int mode;
    int uid, gid;
    int nlink = 1;
    long atime, mtime, ctime;

    MemNode(int mode) {
        this.mode = mode & 07777;
        long now = now();
        atime = mtime = ctime = now;
    }

    static long now() {
        Instant i = Instant.now();
        return i.getEpochSecond() * 1_000_000_000L + i.getNano();
    }

    long size() {
        return 0;
    }

    @Override
    public Stat stat() {
        return new Stat(DEV, ino, nlink, type().modeBits | mode, uid, gid, 0, size(), atime, mtime, ctime);
    }

    @Override
    public void chmod(int mode) {
        this.mode = mode & 07777;
        ctime = now();
    }

    @Override
    public void chown(int uid, int gid) {
        if (uid != -1) this.uid = uid;
        if (gid != -1) this.gid = gid;
        ctime = now();
    }

    @Override
    public void setTimes(long a, long m) {
        if (a >= 0) atime = a;
        if (m >= 0) mtime = m;
        ctime = now();
    }
}
