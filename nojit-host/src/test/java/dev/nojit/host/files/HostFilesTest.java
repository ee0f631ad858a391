package dev.nojit.host.files;

import dev.nojit.host.HostCallException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermissions;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The descriptor-relative calls against a real directory: every one stays on its descriptor and follows no link. */
class HostFilesTest {
    @TempDir
    Path tmp;

    private Path mount, outside;

    private HostFd root() throws Exception {
        mount = Files.createDirectories(tmp.resolve("mount"));
        outside = Files.createDirectories(tmp.resolve("outside"));
        Files.writeString(outside.resolve("secret"), "secret");
        Files.createDirectories(mount.resolve("a"));
        Files.writeString(mount.resolve("a/f"), "inside");
        return HostFiles.openRoot(mount);
    }

    private static int errno(Runnable r) {
        try {
            r.run();
        } catch (HostCallException e) {
            return e.errno();
        }
        return 0;
    }

    @Test
    void namesAreSingleComponentsAndLinksAreNeverFollowed() throws Exception {
        try (HostFd root = root()) {
            Files.createSymbolicLink(mount.resolve("up"), Path.of(".."));
            Files.createSymbolicLink(mount.resolve("abs"), outside.resolve("secret"));
            assertThat(errno(() -> HostFiles.openNode(root, ".."))).isEqualTo(22);
            assertThat(errno(() -> HostFiles.openNode(root, "a/f"))).isEqualTo(22);
            assertThat(errno(() -> HostFiles.openNode(root, ""))).isEqualTo(22);
            assertThat(errno(() -> HostFiles.openNode(root, "x".repeat(256)))).isEqualTo(36);
            try (HostFd link = HostFiles.openNode(root, "abs")) {
                // the link itself, not its target
                assertThat(HostFiles.stat(link).format()).isEqualTo(HostStat.S_IFLNK);
                assertThat(HostFiles.readlink(link)).isEqualTo(outside.resolve("secret").toString());
                assertThat(errno(() -> HostFiles.chmod(link, 04777))).isEqualTo(95); // EOPNOTSUPP
            }
            try (HostFd up = HostFiles.openNode(root, "up")) {
                assertThat(errno(() -> HostFiles.list(up))).isNotZero();
                assertThat(errno(() -> HostFiles.openNode(up, "outside"))).isNotZero();
            }
            // a dangling link is an existing name for O_CREAT|O_EXCL
            Files.createSymbolicLink(mount.resolve("dangling"), tmp.resolve("made-through-link"));
            assertThat(errno(() -> HostFiles.createFile(root, "dangling", 0644))).isEqualTo(17);
            assertThat(tmp.resolve("made-through-link")).doesNotExist();
        }
    }

    @Test
    void aDescriptorKeepsItsObjectAfterTheNameIsSwappedForASymlink() throws Exception {
        try (HostFd root = root(); HostFd a = HostFiles.openNode(root, "a"); HostFd f = HostFiles.openNode(a, "f")) {
            HostStat before = HostFiles.stat(f);
            Files.move(mount.resolve("a"), mount.resolve("moved"));
            Files.createSymbolicLink(mount.resolve("a"), outside);
            HostFiles.chmod(f, 0600);
            HostFiles.setTimes(f, -1, 1_000_000_000L);
            assertThat(HostFiles.stat(f).mtimeNanos()).isEqualTo(1_000_000_000L);
            assertThat(Files.getLastModifiedTime(mount.resolve("moved/f"))).isEqualTo(FileTime.fromMillis(1000));
            assertThat(HostFiles.stat(f).sameInode(before)).isTrue();
            assertThat(HostFiles.list(a)).containsExactly("f");
            try (HostFd content = HostFiles.openContent(a, "f", true, before)) {
                HostFiles.pwriteAll(content, 0, "INSIDE".getBytes(StandardCharsets.UTF_8), 0, 6);
                byte[] b = new byte[16];
                assertThat(HostFiles.pread(content, 0, b, 0, 16)).isEqualTo(6);
                HostFiles.truncate(content, 3);
                HostFiles.sync(content);
            }
            HostFiles.link(f, root, "hard");
            assertThat(Files.readString(mount.resolve("moved/f"))).isEqualTo("INS");
            assertThat(Files.readString(mount.resolve("hard"))).isEqualTo("INS");
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mount.resolve("moved/f")))).isEqualTo("rw-------");
            assertThat(Files.readString(outside.resolve("secret"))).isEqualTo("secret");
        }
    }

    @Test
    void contentOpensOnlyTheExpectedInode() throws Exception {
        try (HostFd root = root(); HostFd a = HostFiles.openNode(root, "a"); HostFd f = HostFiles.openNode(a, "f")) {
            HostStat st = HostFiles.stat(f);
            Files.delete(mount.resolve("a/f"));
            Files.writeString(mount.resolve("a/f"), "another");
            assertThat(errno(() -> HostFiles.openContent(a, "f", false, st).close())).isEqualTo(2);
            Files.delete(mount.resolve("a/f"));
            Files.createSymbolicLink(mount.resolve("a/f"), outside.resolve("secret"));
            assertThat(errno(() -> HostFiles.openContent(a, "f", false, st).close())).isEqualTo(40); // ELOOP
        }
    }

    @Test
    void namespaceCallsStayInTheirDirectory() throws Exception {
        try (HostFd root = root()) {
            HostFiles.mkdir(root, "d", 0700);
            HostFiles.symlink(root, "l", "a/f");
            try (HostFd created = HostFiles.createFile(root, "n", 0640)) {
                assertThat(HostFiles.stat(created).format()).isEqualTo(HostStat.S_IFREG);
            }
            HostFiles.rename(root, "n", root, "m");
            HostFiles.linkEntry(root, "l", root, "l2");
            assertThat(Files.isSymbolicLink(mount.resolve("l2"))).isTrue();
            assertThat(HostFiles.list(root)).containsExactlyInAnyOrder("a", "d", "l", "l2", "m");
            assertThat(errno(() -> HostFiles.unlink(root, "d"))).isEqualTo(21); // EISDIR
            assertThat(errno(() -> HostFiles.rmdir(root, "m"))).isEqualTo(20);  // ENOTDIR
            HostFiles.unlink(root, "m");
            HostFiles.rmdir(root, "d");
            assertThat(HostFiles.statAt(root, "l").format()).isEqualTo(HostStat.S_IFLNK);
            assertThat(errno(() -> HostFiles.symlink(root, "t", "x".repeat(4096)))).isEqualTo(36);
        }
    }

    @Test
    void aDescriptorClosesExactlyOnce() throws Exception {
        long before = HostFd.live();
        HostFd root = root();
        assertThat(HostFd.live()).isEqualTo(before + 1);
        root.close();
        root.close();
        assertThat(HostFd.live()).isEqualTo(before);
        assertThat(root.isOpen()).isFalse();
        assertThatThrownBy(() -> HostFiles.stat(root)).isInstanceOf(HostCallException.class)
                .satisfies(e -> assertThat(((HostCallException) e).errno()).isEqualTo(9));
    }

    @Test
    void manyEntriesListAcrossSeveralGetdentsBuffers() throws Exception {
        try (HostFd root = root()) {
            for (int i = 0; i < 1500; i++) Files.createFile(mount.resolve("entry-with-a-longish-name-" + i));
            assertThat(HostFiles.list(root)).hasSize(1501);
        }
    }

    @Test
    void withoutFchmodat2ChmodGoesThroughTheObjectsOwnDescriptor() throws Exception {
        try (HostFd root = root(); HostFd a = HostFiles.openNode(root, "a"); HostFd f = HostFiles.openNode(a, "f")) {
            Files.move(mount.resolve("a"), mount.resolve("moved"));
            Files.createSymbolicLink(mount.resolve("a"), outside);
            HostFiles.chmodThroughOwnDescriptor(f, 0604);
            assertThat(HostFiles.stat(f).mode() & 07777).isEqualTo(0604);
            assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(mount.resolve("moved/f")))).isEqualTo("rw----r--");
            Files.createSymbolicLink(mount.resolve("link"), outside.resolve("secret"));
            var secretMode = Files.getPosixFilePermissions(outside.resolve("secret"));
            try (HostFd link = HostFiles.openNode(root, "link")) {
                assertThat(errno(() -> HostFiles.chmodThroughOwnDescriptor(link, 04777))).isEqualTo(95);
            }
            assertThat(Files.getPosixFilePermissions(outside.resolve("secret"))).isEqualTo(secretMode);
        }
    }
}
