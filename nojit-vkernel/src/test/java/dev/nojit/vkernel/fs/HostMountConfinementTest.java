package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** Nothing outside a mounted host directory is reachable through it: not by .., not by host symlinks, not by rename or link. */
class HostMountConfinementTest {
    @TempDir
    Path host;

    private final java.util.List<Vfs> opened = new java.util.ArrayList<>();

    @org.junit.jupiter.api.AfterEach
    void closeMounts() {
        opened.forEach(Vfs::closeMounts);
    }

    private Vfs mounted(boolean readOnly) throws Exception {
        Files.createDirectories(host.resolve("inside/sub"));
        Files.writeString(host.resolve("inside/file"), "mine");
        Files.writeString(host.resolve("secret"), "host secret");
        Vfs vfs = new Vfs(new Quota(1 << 20), new VfsTest.NoProcesses());
        vfs.mount(HostMount.open("/mnt", host.resolve("inside"), readOnly, 9));
        opened.add(vfs);
        vfs.addDirectory("/etc", 0755);
        vfs.addImageFile("/etc/secret", 0644, "s", 14, () -> "container file".getBytes(StandardCharsets.UTF_8));
        return vfs;
    }


    private static String read(Node n) {
        return new String(Vfs.readAll(n, 1 << 20), StandardCharsets.UTF_8);
    }

    @Test
    void aHostDirectoryMountsOverTheContainersTmp() throws Exception {
        Files.createDirectories(host.resolve("inside"));
        Files.writeString(host.resolve("inside/file"), "mine");
        Vfs vfs = new Vfs(new Quota(1 << 20), new VfsTest.NoProcesses());
        opened.add(vfs);
        vfs.mount(HostMount.open("/tmp", host.resolve("inside"), false, 9));
        assertThat(read(vfs.resolve("/", "/tmp/file", true).existing())).isEqualTo("mine");
    }

    @Test
    void dotDotAtTheMountRootLeadsToTheContainerNotTheHost() throws Exception {
        Vfs vfs = mounted(false);
        assertThat(read(vfs.resolve("/", "/mnt/file", true).existing())).isEqualTo("mine");
        assertThat(vfs.resolve("/", "/mnt/sub/../../secret", true).node()).isNull();
        assertThat(vfs.resolve("/", "/mnt/../etc/secret", true).path()).isEqualTo("/etc/secret");
    }

    @Test
    void hostSymlinksAreResolvedInTheContainersNamespace() throws Exception {
        Vfs vfs = mounted(false);
        Files.createSymbolicLink(host.resolve("inside/abs"), host.resolve("secret"));      // absolute host path
        Files.createSymbolicLink(host.resolve("inside/rel"), Path.of("../secret"));        // climbs out on the host
        Files.createSymbolicLink(host.resolve("inside/etc"), Path.of("/etc/secret"));
        Files.createSymbolicLink(host.resolve("inside/dir"), host);                         // a host directory
        // The host path means nothing in the container.
        assertThat(Errnos.of(() -> vfs.resolve("/", "/mnt/abs", true))).isEqualTo(Errno.ENOENT);
        // ../secret from /mnt is /secret in the container, which does not exist.
        assertThat(vfs.resolve("/", "/mnt/rel", true).node()).isNull();
        assertThat(read(vfs.resolve("/", "/mnt/etc", true).existing())).isEqualTo("container file");
        assertThat(Errnos.of(() -> vfs.resolve("/", "/mnt/dir/secret", true))).isEqualTo(Errno.ENOENT);
        // Opening the link itself without following never follows it on the host either.
        Node link = vfs.resolve("/", "/mnt/abs", false).existing();
        assertThat(link.type()).isEqualTo(FileType.SYMLINK);
        assertThat(Errnos.of(() -> link.open(OpenFlags.O_RDONLY))).isNotZero();
    }

    @Test
    void renameAndLinkCannotCrossOutOfTheMount() throws Exception {
        Vfs vfs = mounted(false);
        Node mnt = vfs.resolve("/", "/mnt", true).existing();
        Node tmp = vfs.resolve("/", "/tmp", true).existing();
        Node etc = vfs.resolve("/", "/etc", true).existing();
        assertThat(Errnos.of(() -> mnt.rename("file", tmp, "stolen"))).isEqualTo(Errno.EXDEV);
        assertThat(Errnos.of(() -> etc.rename("secret", mnt, "planted"))).isEqualTo(Errno.EXDEV);
        assertThat(Errnos.of(() -> mnt.link("l", etc.lookup("secret")))).isEqualTo(Errno.EXDEV);
        assertThat(Files.exists(host.resolve("inside/planted"))).isFalse();
    }

    @Test
    void creatingOverADanglingSymlinkIsEexistAndCreatesNothingThroughIt() throws Exception {
        Vfs vfs = mounted(false);
        Files.createSymbolicLink(host.resolve("inside/dangling"), Path.of("../made-through-the-link"));
        Node mnt = vfs.resolve("/", "/mnt", true).existing();
        assertThat(Errnos.of(() -> mnt.createFile("dangling", 0644))).isEqualTo(Errno.EEXIST);
        assertThat(host.resolve("made-through-the-link")).doesNotExist();
        assertThat(Errnos.of(() -> mnt.symlink("abs", "/etc/passwd"))).isEqualTo(Errno.EPERM);
        assertThat(host.resolve("inside/abs")).doesNotExist();
    }

    @Test
    void aMountHoldsAtMostItsBoundOfDescriptorsAndGetsUnheldOnesBack() throws Exception {
        Path dir = Files.createDirectories(host.resolve("many"));
        int files = HostMount.MAX_DESCRIPTORS + 8;
        for (int i = 0; i < files; i++) Files.createFile(dir.resolve("f" + i));
        long open = dev.nojit.host.files.HostFd.live();
        java.util.List<Node> held;
        HostMount mount = HostMount.open("/many", dir, true, 7);
        try {
            Node root = HostNode.root(mount);
            // Held nodes count: past the bound, ENFILE.
            held = new java.util.ArrayList<>();
            int errno = 0;
            for (int i = 0; i < files && errno == 0; i++) {
                final int n = i;
                errno = Errnos.of(() -> held.add(root.lookup("f" + n)));
            }
            assertThat(errno).isEqualTo(Errno.ENFILE);
            assertThat(mount.descriptors()).isEqualTo(HostMount.MAX_DESCRIPTORS);
            // A node held twice is one descriptor; nodes no one holds give theirs back.
            assertThat(root.lookup("f0")).isSameAs(held.getFirst());
            held.clear();
            for (int i = 0; i < files; i++) assertThat(root.lookup("f" + i)).isNotNull();
            assertThat(mount.descriptors()).isLessThanOrEqualTo(HostMount.MAX_DESCRIPTORS);
            held.add(root.lookup("f1"));
        } finally {
            mount.close();
        }
        // Every descriptor of the mount is closed (unrelated unclosed test mounts may be collected meanwhile).
        assertThat(dev.nojit.host.files.HostFd.live()).isLessThanOrEqualTo(open);
        assertThat(Errnos.of(() -> HostNode.root(mount).stat())).isEqualTo(Errno.EBADF);
    }

    @Test
    void aReadOnlyMountRefusesEveryChange() throws Exception {
        Vfs vfs = mounted(true);
        Node mnt = vfs.resolve("/", "/mnt", true).existing();
        assertThat(Errnos.of(() -> mnt.createFile("new", 0644))).isEqualTo(Errno.EROFS);
        assertThat(Errnos.of(() -> mnt.unlink("file"))).isEqualTo(Errno.EROFS);
        assertThat(Errnos.of(() -> mnt.mkdir("d", 0755))).isEqualTo(Errno.EROFS);
        assertThat(Errnos.of(() -> mnt.lookup("file").open(OpenFlags.O_WRONLY))).isEqualTo(Errno.EROFS);
        assertThat(read(mnt.lookup("file"))).isEqualTo("mine");
        assertThat(Files.readString(host.resolve("inside/file"))).isEqualTo("mine");
    }
}
