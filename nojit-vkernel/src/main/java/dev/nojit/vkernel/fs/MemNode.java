package dev.nojit.vkernel.fs;

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
    /** Heap bytes charged to the {@link Quota} for this node itself (not its entries), returned once when it dies. */
    long nodeCharge;

    MemNode(int mode) {
        this.mode = mode & 07777;
        long now = now();
        atime = mtime = ctime = now;
    }

    static long now() {
        return WallClock.nanos();
    }

    long size() {
        return 0;
    }

    /** What the node costs apart from its entries and content ({@link HeapCost}). */
    long nodeCost() {
        return HeapCost.NODE;
    }

    /** Charges the node's own cost (ENOSPC past a limit); once. */
    void chargeNode(Quota quota) {
        if (nodeCharge != 0) return;
        long cost = nodeCost();
        quota.charge(cost);
        nodeCharge = cost;
    }

    /** The node is gone (its last link, and for a file its last open): its own cost goes back. */
    void releaseNode(Quota quota) {
        quota.charge(-nodeCharge);
        nodeCharge = 0;
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
