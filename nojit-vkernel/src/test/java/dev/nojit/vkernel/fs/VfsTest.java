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
        long base = vfs.quota().used(); // /dev, /tmp and their entries
        Node n = vfs.resolve("/", "/data", true).existing();
        // Unchanged, the file is known by its image hash; changed, it is hashed anew.
        assertThat(Vfs.execContent(n, 0, 100).sha256()).isEqualTo("abc");
        FileHandle h = n.open(OpenFlags.O_RDWR);
        h.write(3, "def".getBytes(StandardCharsets.UTF_8), 0, 3);
        assertThat(Vfs.execContent(n, 0, 100).sha256()).isEqualTo(dev.nojit.bundle.Sha256.hex("abcdef".getBytes(StandardCharsets.UTF_8)));
        assertThat(new String(Vfs.readAll(n, 100), StandardCharsets.UTF_8)).isEqualTo("abcdef");
        assertThat(vfs.quota().used() - base).isEqualTo(6);
        assertThat(Errnos.of(() -> h.truncate(2 << 20))).isEqualTo(Errno.ENOSPC);
        h.truncate(0);
        assertThat(vfs.quota().used()).isEqualTo(base);
    }

    @Test
    void emptyFilesCostQuotaSoTheirNumberIsBoundedAndUnlinkReturnsIt() {
        Node tmp = vfs.resolve("/", "/tmp", true).existing();
        long base = vfs.quota().used();
        int created = 0;
        while (Errnos.of(() -> tmp.createFile("f" + System.nanoTime(), 0644)) == 0) created++;
        assertThat(created).isGreaterThan(1000).isLessThan((1 << 20) / 256 + 1);
        for (String name : tmp.list()) tmp.unlink(name);
        assertThat(vfs.quota().used()).isEqualTo(base);
    }

    @Test
    void anUnlinkedFileStaysReadableWhileOpenThenItsBytesAreReturned() {
        Node tmp = vfs.resolve("/", "/tmp", true).existing();
        Node f = tmp.createFile("scratch", 0600);
        FileHandle h = f.open(OpenFlags.O_RDWR);
        h.write(0, "temporary".getBytes(StandardCharsets.UTF_8), 0, 9);
        long withFile = vfs.quota().used();
        tmp.unlink("scratch");
        byte[] back = new byte[9];
        assertThat(h.read(0, back, 0, 9)).isEqualTo(9);
        assertThat(new String(back, StandardCharsets.UTF_8)).isEqualTo("temporary");
        assertThat(vfs.quota().used()).isEqualTo(withFile - MemDir.NODE_COST);
        h.close();
        assertThat(vfs.quota().used()).isEqualTo(withFile - MemDir.NODE_COST - 9);
    }

    @Test
    void renamingADirectoryIntoItselfIsRefused() {
        vfs.addDirectory("/d/e", 0755);
        Node root = vfs.resolve("/", "/", true).existing();
        Node e = vfs.resolve("/", "/d/e", true).existing();
        assertThat(Errnos.of(() -> root.rename("d", e, "x"))).isEqualTo(Errno.EINVAL);
    }
}
