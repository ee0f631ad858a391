package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class VfsTest {
    private final Vfs vfs = new Vfs(new Quota(1 << 20), new NoProcesses());

    static final class NoProcesses implements ProcInfo.Directory {
        public ProcInfo current() { return null; }
        public ProcInfo byPid(int pid) { return null; }
        public Map<Integer, ? extends ProcInfo> all() { return Map.of(); }
    }


    @Test
    void dotDotNeverClimbsAboveTheRoot() {
        vfs.addDirectory("/a/b", 0755);
        Vfs.Resolved r = vfs.resolve("/a/b", "../../../../..", true);
        assertThat(r.path()).isEqualTo("/");
        assertThat(vfs.resolve("/", "/../a/./b/..", true).path()).isEqualTo("/a");
    }

    @Test
    void symlinksResolveInTheContainerAndLoopsEndWithEloop() {
        vfs.addDirectory("/etc", 0755);
        vfs.addImageFile("/etc/passwd", 0644, "x", 5, () -> "root\n".getBytes(StandardCharsets.UTF_8));
        Node tmp = vfs.resolve("/", "/tmp", true).existing();
        tmp.symlink("abs", "/etc/passwd");
        tmp.symlink("rel", "../etc/passwd");
        tmp.symlink("loop", "/tmp/loop");
        assertThat(vfs.resolve("/", "/tmp/abs", true).path()).isEqualTo("/etc/passwd");
        assertThat(vfs.resolve("/", "/tmp/rel", true).path()).isEqualTo("/etc/passwd");
        assertThat(vfs.resolve("/", "/tmp/abs", false).node().type()).isEqualTo(FileType.SYMLINK);
        assertThat(Errnos.of(() -> vfs.resolve("/", "/tmp/loop", true))).isEqualTo(Errno.ELOOP);
        assertThat(Errnos.of(() -> vfs.resolve("/", "/tmp/abs/x", true))).isEqualTo(Errno.ENOTDIR);
    }

    @Test
    void longPathsAndNamesAreRefused() {
        assertThat(Errnos.of(() -> vfs.resolve("/", "/" + "a".repeat(300), true))).isEqualTo(Errno.ENAMETOOLONG);
        assertThat(Errnos.of(() -> vfs.resolve("/", "/a".repeat(3000), true))).isEqualTo(Errno.ENAMETOOLONG);
        assertThat(Errnos.of(() -> vfs.resolve("/", "", true))).isEqualTo(Errno.ENOENT);
    }

    @Test
    void imageFilesCopyUpOnWriteAndTheQuotaHolds() {
        vfs.addImageFile("/data", 0644, "abc", 3, () -> "abc".getBytes(StandardCharsets.UTF_8));
        long base = vfs.quota().used(); // /dev, /tmp, /data and their entries
        Node n = vfs.resolve("/", "/data", true).existing();
        // Unchanged, the file is known by its image hash; changed, it is hashed anew.
        assertThat(Vfs.execContent(n, 0, 100).sha256()).isEqualTo("abc");
        FileHandle h = n.open(OpenFlags.O_RDWR);
        h.write(3, "def".getBytes(StandardCharsets.UTF_8), 0, 3);
        assertThat(Vfs.execContent(n, 0, 100).sha256()).isEqualTo(dev.nojit.bundle.Sha256.hex("abcdef".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(Vfs.readAll(n, 100), StandardCharsets.UTF_8)).isEqualTo("abcdef");
        // copied up: the 3 image bytes, then grown (doubled) to 6: one array of 6 bytes is held
        assertThat(vfs.quota().used() - base).isEqualTo(HeapCost.bytes(6));
        assertThat(Errnos.of(() -> h.truncate(2 << 20))).isEqualTo(Errno.ENOSPC);
        h.truncate(0);
        assertThat(vfs.quota().used()).isEqualTo(base);
    }

    @Test
    void theImageTreeIsChargedButLeavesTheWritableAllowanceWhole() {
        Vfs fresh = new Vfs(new Quota(1 << 20), new NoProcesses());
        long allowance = fresh.quota().limit() - fresh.quota().used();
        fresh.addDirectory("/usr/share", 0755);
        fresh.addImageFile("/usr/share/a-long-file-name", 0644, "abc", 3, () -> new byte[3]);
        assertThat(fresh.quota().used()).as("the image's entries and nodes are on the heap: charged")
                .isGreaterThanOrEqualTo(3 * HeapCost.NODE + 3 * HeapCost.ENTRY);
        assertThat(fresh.quota().limit() - fresh.quota().used()).isEqualTo(allowance);
    }

    @Test
    void aNodeCostsItsObjectItsEntryAndItsNameSoEmptyFilesAreBoundedAndUnlinkReturnsAll() {
        Node tmp = vfs.resolve("/", "/tmp", true).existing();
        long base = vfs.quota().used();
        String name = "a".repeat(200);
        tmp.createFile(name, 0644);
        assertThat(vfs.quota().used() - base).isEqualTo(HeapCost.NODE + HeapCost.ENTRY + 200);
        tmp.unlink(name);
        assertThat(vfs.quota().used()).isEqualTo(base);
        int created = 0;
        while (Errnos.of(() -> tmp.createFile("f" + System.nanoTime(), 0644)) == 0) created++;
        assertThat(created).isGreaterThan(1000).isLessThan((int) ((1 << 20) / (HeapCost.NODE + HeapCost.ENTRY)) + 1);
        for (String n : tmp.list()) tmp.unlink(n);
        assertThat(vfs.quota().used()).isEqualTo(base);
    }

    @Test
    void hardLinksSymlinksAndRenamesPayForTheirNames() {
        Node tmp = vfs.resolve("/", "/tmp", true).existing();
        Node f = tmp.createFile("f", 0644);
        long base = vfs.quota().used();
        tmp.link("second-name", f);
        assertThat(vfs.quota().used() - base).isEqualTo(HeapCost.entry("second-name"));
        tmp.rename("second-name", tmp, "x");
        assertThat(vfs.quota().used() - base).isEqualTo(HeapCost.entry("x"));
        tmp.symlink("link", "/some/target/path");
        assertThat(vfs.quota().used() - base).isEqualTo(HeapCost.entry("x") + HeapCost.entry("link") + HeapCost.NODE
                + HeapCost.STRING + HeapCost.chars("/some/target/path"));
        tmp.unlink("link");
        tmp.unlink("f");
        assertThat(vfs.quota().used() - base).as("the node lives on under its other name")
                .isEqualTo(HeapCost.entry("x") - HeapCost.entry("f"));
        tmp.unlink("x");
        assertThat(vfs.quota().used()).isEqualTo(base - HeapCost.entry("f") - HeapCost.NODE);
    }

    @Test
    void anUnlinkedFileStaysReadableWhileOpenThenItsBytesAreReturned() {
        Node tmp = vfs.resolve("/", "/tmp", true).existing();
        long base = vfs.quota().used();
        Node f = tmp.createFile("scratch", 0600);
        FileHandle h = f.open(OpenFlags.O_RDWR);
        h.write(0, "temporary".getBytes(StandardCharsets.UTF_8), 0, 9);
        long withFile = vfs.quota().used();
        assertThat(withFile - base).isEqualTo(HeapCost.NODE + HeapCost.entry("scratch") + HeapCost.bytes(9));
        tmp.unlink("scratch");
        byte[] back = new byte[9];
        assertThat(h.read(0, back, 0, 9)).isEqualTo(9);
        assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo("temporary");
        assertThat(vfs.quota().used()).as("the node and its bytes stay while open").isEqualTo(withFile - HeapCost.entry("scratch"));
        h.close();
        assertThat(vfs.quota().used()).isEqualTo(base);
    }

    @Test
    void aFileIsChargedItsCapacityAndTruncationGivesItBack() {
        Node tmp = vfs.resolve("/", "/tmp", true).existing();
        FileHandle h = tmp.createFile("grow", 0600).open(OpenFlags.O_RDWR);
        long base = vfs.quota().used();
        byte[] kib = new byte[1024];
        for (int i = 0; i < 300; i++) h.write(i * 1024L, kib, 0, kib.length);
        long used = vfs.quota().used() - base;
        assertThat(used).isGreaterThanOrEqualTo(300 * 1024).isLessThanOrEqualTo(2 * 300 * 1024 + 16);
        h.truncate(10);
        assertThat(vfs.quota().used() - base).isEqualTo(HeapCost.bytes(10));
        h.truncate(0);
        assertThat(vfs.quota().used()).isEqualTo(base);
        h.close();
    }

    @Test
    void theFileLayerChargesTheContainersMemoryBudgetToo() {
        var budget = new dev.nojit.vkernel.memory.MemoryBudget(256 << 10);
        Vfs small = new Vfs(new Quota(1 << 20, budget), new NoProcesses());
        assertThat(budget.used(dev.nojit.vkernel.memory.MemoryBudget.Use.FILES)).isEqualTo(small.quota().used());
        FileHandle h = small.resolve("/", "/tmp", true).existing().createFile("big", 0600).open(OpenFlags.O_RDWR);
        assertThat(Errnos.of(() -> h.write(0, new byte[300 << 10], 0, 300 << 10))).as("past the memory budget, under the quota")
                .isEqualTo(Errno.ENOSPC);
        assertThat(budget.used(dev.nojit.vkernel.memory.MemoryBudget.Use.FILES)).isEqualTo(small.quota().used());
        assertThat(budget.used()).isLessThanOrEqualTo(256 << 10);
        Node tmp = small.resolve("/", "/tmp", true).existing();
        int created = 0;
        while (Errnos.of(() -> tmp.createFile("n" + System.nanoTime(), 0644)) == 0) created++;
        assertThat(Errnos.of(() -> tmp.mkdir("d", 0755))).as("the budget, not the 1 MiB quota, ends node creation").isEqualTo(Errno.ENOSPC);
        assertThat(small.quota().used()).isLessThan(small.quota().limit() / 2);
        assertThat(budget.limit() - budget.used()).isLessThan(HeapCost.NODE + HeapCost.entry("n" + System.nanoTime()));
        assertThat(created).isPositive();
        h.close();
        for (String n : tmp.list()) tmp.unlink(n);
        assertThat(budget.used(dev.nojit.vkernel.memory.MemoryBudget.Use.FILES)).as("every node and byte returned")
                .isEqualTo(small.quota().used()).isLessThan(4096);
    }

    @Test
    void renamingADirectoryIntoItselfIsRefused() {
        vfs.addDirectory("/d/e", 0755);
        Node root = vfs.resolve("/", "/", true).existing();
        Node e = vfs.resolve("/", "/d/e", true).existing();
        assertThat(Errnos.of(() -> root.rename("d", e, "x"))).isEqualTo(Errno.EINVAL);
    }
}
