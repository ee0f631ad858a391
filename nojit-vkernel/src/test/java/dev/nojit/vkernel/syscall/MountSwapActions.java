package dev.nojit.vkernel.syscall;

import dev.nojit.vkernel.fs.OpenFlags;
import dev.nojit.vkernel.memory.GuestMemory;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The mount-swap actions of the direct syscall fuzzer (issue 15): in half the inputs a preamble
 * builds /mnt/host/a = { f, sub/ }, opens descriptors on the file (O_RDWR), the directories
 * (O_DIRECTORY) and the file again (O_PATH), renames a away and plants a symlink a -> TARGET
 * (targets that climb out of the mount on the host, name the container root, or the canary's
 * absolute host path); then, among the fuzzed calls, now and then another swap (rename of
 * directories on the mount, a new symlink). The old descriptors are the small numbers the
 * fuzzed calls pick, and the swap paths (the mount's names, /proc/self/fd/N of an old descriptor)
 * are one of the pointer choices. Strings live in a memory area of their own.
 */
final class MountSwapActions {
    static final long AREA = 0x18000, STRING = 256;
    static final int FIXED = 8;
    private static final List<String> NAMES = List.of("/mnt/host/a", "/mnt/host/a/f", "/mnt/host/moved", "/mnt/host/a/sub",
            "/mnt/host/moved/f", "/mnt/host/linked", "f", "sub");
    private static final int A = 0, A_F = 1, MOVED = 2, A_SUB = 3, TARGET = FIXED, PROC = FIXED + 1;

    /** A fixed call through the harness's dispatch: the result or -errno; {@link Ended} when the process ended in it. */
    interface Caller {
        long call(String name, long... args);
    }

    /** The process ended (a signal, exit) during one of these calls. */
    static final class Ended extends RuntimeException {
        final int status;

        Ended(int status) {
            super(null, null, false, false);
            this.status = status;
        }
    }

    private final FuzzChoices in;
    private final GuestMemory m;
    private final Caller call;
    private final List<Long> descriptors = new ArrayList<>();
    private int swaps;

    MountSwapActions(FuzzChoices in, GuestMemory m, Caller call) {
        this.in = in;
        this.m = m;
        this.call = call;
    }

    /** Symlink targets: up out of the mount on the host, the container's root, the canary's host path. */
    static List<String> targets() {
        String canary = FuzzImage.canary().toString();
        return List.of("..", "/", "../canary", "../../..", "../canary/f", canary, canary + "/f", "moved", "a");
    }

    private void string(int i, String s) {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        m.write(at(i), java.util.Arrays.copyOf(b, Math.min(b.length, (int) STRING - 1) + 1));
    }

    private static long at(int i) {
        return AREA + STRING * i;
    }

    /** The preamble: the tree, descriptors on it (kept in {@link #descriptors()}), the first swap. */
    void prepare() {
        for (int i = 0; i < FIXED; i++) string(i, NAMES.get(i));
        call.call("mkdir", at(A), 0755);
        long f = open(at(A_F), OpenFlags.O_CREAT | OpenFlags.O_RDWR);
        if (f >= 0) call.call("write", f, at(A_F), 8);
        call.call("mkdir", at(A_SUB), 0755);
        open(at(A), OpenFlags.O_DIRECTORY);
        open(at(A_SUB), OpenFlags.O_DIRECTORY);
        open(at(A_F), OpenFlags.O_PATH);
        if (!descriptors.isEmpty()) string(PROC, "/proc/self/fd/" + descriptors.get(in.pick(descriptors.size())));
        swap();
    }

    /** Now and then among the fuzzed calls: another swap. */
    void maybeAct() {
        if (in.pick(8) == 0) swap();
    }

    /** Renames a away (or back first), and plants a symlink where it was. */
    private void swap() {
        swaps++;
        List<String> t = targets();
        string(TARGET, t.get(in.pick(t.size())));
        if (in.pick(2) == 0) call.call("rename", at(MOVED), at(A));
        call.call("rename", at(A), at(MOVED));
        call.call("unlink", at(A));
        call.call("symlink", at(TARGET), at(A));
    }

    private long open(long path, long flags) {
        long fd = call.call("open", path, flags, 0644);
        if (fd >= 0) descriptors.add(fd);
        return fd;
    }

    /** A pointer to one of the swap strings (for the fuzzed calls' path arguments). */
    long pathArgument() {
        return at(in.pick(PROC + 1));
    }

    List<Long> descriptors() {
        return descriptors;
    }

    int swaps() {
        return swaps;
    }
}
