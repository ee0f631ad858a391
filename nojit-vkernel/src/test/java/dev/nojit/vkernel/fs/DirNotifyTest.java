package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static dev.nojit.vkernel.fs.DirNotify.DN_ATTRIB;
import static dev.nojit.vkernel.fs.DirNotify.DN_CREATE;
import static dev.nojit.vkernel.fs.DirNotify.DN_DELETE;
import static dev.nojit.vkernel.fs.DirNotify.DN_MODIFY;
import static dev.nojit.vkernel.fs.DirNotify.DN_MULTISHOT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The registration rules of dnotify that a guest program sees only indirectly: whose close ends a
 * watch, how masks add up, when a watch goes away (toolchain/tests/dnotify.c checks the events
 * themselves against Linux).
 */
class DirNotifyTest {
    private final Vfs vfs = new Vfs(new Quota(1 << 20), new VfsTest.NoProcesses());
    private final DirNotify notify = vfs.dirNotify();
    private final Node tmp = vfs.resolve("/", "/tmp", true).existing();
    private final Object table = new Object(), otherTable = new Object();
    private final List<Integer> sent = new ArrayList<>();

    private OpenFile openDir(Node dir) {
        return new OpenFile(dir, null, "/tmp", OpenFlags.O_RDONLY);
    }

    @Test
    void argumentWithoutEventBitsRemovesEvenOnAFileWhileEventBitsNeedADirectory() {
        Node file = tmp.createFile("f", 0644);
        OpenFile f = new OpenFile(file, file.open(OpenFlags.O_RDONLY), "/tmp/f", OpenFlags.O_RDONLY);
        notify.register(f, table, 0, sent::add);
        notify.register(f, table, DN_MULTISHOT, sent::add);
        assertThat(Errnos.of(() -> notify.register(f, table, DN_CREATE, sent::add))).isEqualTo(Errno.ENOTDIR);
        OpenFile pipe = new OpenFile(null, null, "pipe:[1]", OpenFlags.O_RDONLY);
        assertThat(Errnos.of(() -> notify.register(pipe, table, DN_CREATE, sent::add))).isEqualTo(Errno.ENOTDIR);
    }

    @Test
    void masksAddUpAndAOneShotWatchBecomesMultishotWhenAskedLater() {
        OpenFile d = openDir(tmp);
        notify.register(d, table, DN_CREATE, sent::add);
        notify.register(d, table, DN_DELETE, sent::add);
        assertThat(notify.watches(tmp)).as("one watch per description and table").isEqualTo(1);
        notify.event(tmp, DN_DELETE);
        assertThat(sent).containsExactly(DirNotify.SIGIO);
        assertThat(notify.watches(tmp)).as("one-shot: gone after its first notification").isZero();

        notify.register(d, table, DN_CREATE, sent::add);
        notify.register(d, table, DN_MULTISHOT | DN_MODIFY, sent::add);
        notify.event(tmp, DN_CREATE);
        notify.event(tmp, DN_MODIFY);
        notify.event(tmp, DN_ATTRIB);
        assertThat(sent).hasSize(3);
        assertThat(notify.watches(tmp)).isEqualTo(1);
    }

    @Test
    void onlyACloseThroughTheRegisteringTableEndsTheWatch() {
        OpenFile d = openDir(tmp);
        notify.register(d, table, DN_CREATE | DN_MULTISHOT, sent::add);
        notify.closed(d, otherTable); // a forked child closing its copy of the descriptor
        notify.event(tmp, DN_CREATE);
        assertThat(sent).hasSize(1);
        notify.closed(d, table);
        notify.event(tmp, DN_CREATE);
        assertThat(sent).hasSize(1);
        assertThat(notify.watches(tmp)).isZero();
    }

    @Test
    void eachDescriptionHasItsOwnWatchSignalAndOwner() {
        OpenFile a = openDir(tmp), b = openDir(tmp);
        List<Integer> toB = new ArrayList<>();
        notify.register(a, table, DN_CREATE | DN_MULTISHOT, sent::add);
        notify.register(b, table, DN_CREATE, toB::add);
        b.setOwnerSignal(10);
        notify.event(tmp, DN_CREATE);
        notify.event(tmp, DN_CREATE);
        assertThat(sent).containsExactly(DirNotify.SIGIO, DirNotify.SIGIO);
        assertThat(toB).containsExactly(10);
        notify.register(a, table, 0, sent::add);
        assertThat(notify.watches(tmp)).isZero();
    }

    @Test
    void aChangedDirectoryTellsItsOwnWatchesAndItsParentsOnce() {
        Node sub = tmp.mkdir("sub", 0755);
        OpenFile parent = openDir(tmp), self = openDir(sub);
        List<Integer> toSelf = new ArrayList<>();
        notify.register(parent, table, DN_ATTRIB | DN_MULTISHOT, sent::add);
        notify.register(self, table, DN_ATTRIB | DN_MULTISHOT, toSelf::add);
        notify.changed(tmp, sub, DN_ATTRIB);
        assertThat(sent).hasSize(1);
        assertThat(toSelf).hasSize(1);
        notify.changed(tmp, tmp, DN_ATTRIB); // the root: its own parent
        assertThat(sent).hasSize(2);
        Node file = sub.createFile("f", 0644);
        notify.changed(sub, file, DN_ATTRIB); // a file's change goes to its directory only
        assertThat(sent).hasSize(2);
        assertThat(toSelf).hasSize(2);
    }
}
