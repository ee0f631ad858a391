package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.fs.FileLocks.DescriptionOwner;
import dev.nojit.vkernel.fs.FileLocks.Lock;
import dev.nojit.vkernel.fs.FileLocks.ProcessOwner;
import dev.nojit.vkernel.memory.MemoryBudget;
import dev.nojit.vkernel.syscall.Errno;
import org.junit.jupiter.api.Test;

import java.util.Comparator;
import java.util.List;

import static dev.nojit.vkernel.fs.FileLocks.F_RDLCK;
import static dev.nojit.vkernel.fs.FileLocks.F_UNLCK;
import static dev.nojit.vkernel.fs.FileLocks.F_WRLCK;
import static dev.nojit.vkernel.fs.FileLocks.TO_EOF;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The lock table's range arithmetic and limits; the semantics between processes are checked against
 * Linux by toolchain/tests/locks.c (native and under nojit, outputs compared).
 */
class FileLocksTest {
    private final Vfs vfs = new Vfs(new Quota(1 << 20), new VfsTest.NoProcesses());
    private final FileLocks locks = new FileLocks();
    private static final ProcessOwner A = new ProcessOwner(10), B = new ProcessOwner(11);

    private OpenFile open(String path) {
        Node dir = vfs.resolve("/", "/tmp", true).existing();
        Node n = dir.lookup(path) != null ? dir.lookup(path) : dir.createFile(path, 0644);
        return new OpenFile(n, n.open(OpenFlags.O_RDWR), "/tmp/" + path, OpenFlags.O_RDWR);
    }

    private List<String> ranges(OpenFile f) {
        return locks.recordLocks(f).stream().sorted(Comparator.comparingLong(Lock::start))
                .map(l -> (l.type() == F_RDLCK ? "R" : "W") + l.start() + "-" + (l.end() == TO_EOF ? "eof" : l.end()))
                .toList();
    }

    @Test
    void anOwnersLocksMergeSplitAndChangeTypeInPlace() {
        OpenFile f = open("a");
        locks.setRecordLock(f, A, 10, F_WRLCK, 0, 9, false);
        locks.setRecordLock(f, A, 10, F_WRLCK, 10, 19, false); // adjacent, same type: one lock
        locks.setRecordLock(f, A, 10, F_WRLCK, 30, 39, false);
        assertThat(ranges(f)).containsExactly("W0-19", "W30-39");
        locks.setRecordLock(f, A, 10, F_WRLCK, 20, 29, false); // fills the gap: all three merge
        assertThat(ranges(f)).containsExactly("W0-39");
        locks.setRecordLock(f, A, 10, F_RDLCK, 5, 9, false); // a different type in the middle splits it
        assertThat(ranges(f)).containsExactly("W0-4", "R5-9", "W10-39");
        locks.setRecordLock(f, A, 10, F_UNLCK, 3, 12, false);
        assertThat(ranges(f)).containsExactly("W0-2", "W13-39");
        locks.setRecordLock(f, A, 10, F_UNLCK, 0, TO_EOF, false);
        assertThat(ranges(f)).isEmpty();
        assertThat(locks.size()).isZero();
    }

    @Test
    void conflictsNeedAnotherOwnerAnOverlapAndAWriteLock() {
        OpenFile f = open("b");
        locks.setRecordLock(f, A, 10, F_RDLCK, 0, 9, false);
        assertThat(locks.conflicting(f, B, F_RDLCK, 0, 9)).as("read beside read").isNull();
        assertThat(locks.conflicting(f, A, F_WRLCK, 0, 9)).as("its own lock never blocks an owner").isNull();
        assertThat(locks.conflicting(f, B, F_WRLCK, 10, 20)).as("no overlap").isNull();
        Lock held = locks.conflicting(f, B, F_WRLCK, 9, 20);
        assertThat(held).isNotNull();
        assertThat(held.pid()).isEqualTo(10);
        assertThat(Errnos.of(() -> locks.setRecordLock(f, B, 11, F_WRLCK, 5, 5, false))).isEqualTo(Errno.EAGAIN);
        OpenFile again = open("b"); // another description of the same file meets the same locks
        assertThat(locks.conflicting(again, B, F_WRLCK, 0, 0)).isNotNull();
        assertThat(locks.conflicting(open("c"), B, F_WRLCK, 0, 0)).as("another file").isNull();
    }

    @Test
    void aCloseByTheOwnerDropsItsLocksOnThatFileOnlyAndExitDropsAll() {
        OpenFile f = open("d"), g = open("e");
        locks.setRecordLock(f, A, 10, F_WRLCK, 0, 0, false);
        locks.setRecordLock(g, A, 10, F_WRLCK, 0, 0, false);
        locks.setRecordLock(f, B, 11, F_RDLCK, 5, 5, false);
        locks.closedBy(10, open("d")); // any descriptor of the file, not only the one locked through
        assertThat(ranges(f)).containsExactly("R5-5");
        assertThat(ranges(g)).containsExactly("W0-0");
        locks.exited(10);
        assertThat(ranges(g)).isEmpty();
        locks.closedBy(10, f); // nothing left: no work, no error
        assertThat(locks.size()).isEqualTo(1);
    }

    @Test
    void descriptionLocksGoWithTheDescription() {
        OpenFile f = open("f"), g = open("f");
        locks.setRecordLock(f, new DescriptionOwner(f), -1, F_WRLCK, 0, TO_EOF, false);
        assertThat(Errnos.of(() -> locks.setRecordLock(g, new DescriptionOwner(g), -1, F_WRLCK, 0, 0, false)))
                .as("two descriptions of one process conflict").isEqualTo(Errno.EAGAIN);
        locks.flock(f, F_WRLCK, false);
        assertThat(Errnos.of(() -> locks.flock(g, F_RDLCK, false))).isEqualTo(Errno.EAGAIN);
        locks.descriptionClosed(f);
        locks.flock(g, F_RDLCK, false);
        locks.setRecordLock(g, new DescriptionOwner(g), -1, F_WRLCK, 0, 0, false);
        assertThat(locks.size()).isEqualTo(2);
        locks.flock(g, F_UNLCK, false);
        assertThat(locks.size()).isEqualTo(1);
    }

    @Test
    void aGuestSplittingRangesWithoutEndGetsEnolckNotTheHostsHeap() {
        OpenFile f = open("g");
        int errno = 0;
        for (long i = 0; i < FileLocks.MAX_LOCKS + 10 && errno == 0; i++) {
            long at = 2 * i; // every other byte: no two locks merge
            errno = Errnos.of(() -> locks.setRecordLock(f, A, 10, F_WRLCK, at, at, false));
        }
        assertThat(errno).isEqualTo(Errno.ENOLCK);
        assertThat(locks.size()).isEqualTo(FileLocks.MAX_LOCKS);
        locks.exited(10);
        assertThat(locks.size()).isZero();
    }

    @Test
    void aPipesCapacityIsPagesBoundedAndNeverBelowWhatItHolds() {
        Pipe p = new Pipe(new MemoryBudget(1 << 22), () -> {});
        var w = (Pipe.PipeEnd) p.writeEnd();
        assertThat(p.setCapacity(1)).isEqualTo(4096);
        assertThat(p.setCapacity(4097)).isEqualTo(8192);
        assertThat(w.writeNonBlocking(new byte[10_000], 0, 10_000)).isEqualTo(8192);
        assertThat(Errnos.of(() -> p.setCapacity(4096))).isEqualTo(Errno.EBUSY);
        assertThat(p.setCapacity(Pipe.MAX_CAPACITY)).isEqualTo(Pipe.MAX_CAPACITY);
        assertThat(Errnos.of(() -> p.setCapacity(Pipe.MAX_CAPACITY + 1L))).as("past pipe-max-size").isEqualTo(Errno.EPERM);
        assertThat(p.capacity()).isEqualTo(Pipe.MAX_CAPACITY);
    }
}
