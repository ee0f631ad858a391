package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

/**
 * A minimal /proc: {@code self} (a link to the caller's pid), and per process {@code exe},
 * {@code cmdline}, {@code environ-wali} (WALI's env file) and {@code fd/N}. An {@code fd/N}
 * entry is a "magic" link, as on Linux: following it reaches the open file itself, whatever
 * its path is now.
 */
final class ProcFs {
    private ProcFs() {}

    static final long DEV = 4;

    abstract static class ProcNode extends Node {
        @Override
        public Stat stat() {
            int mode = type().modeBits | permissions();
            return new Stat(DEV, System.identityHashCode(this), type() == FileType.DIRECTORY ? 2 : 1, mode, 0, 0, 0, 0, 0, 0, 0);
        }

        int permissions() {
            return type() == FileType.DIRECTORY ? 0555 : type() == FileType.SYMLINK ? 0777 : 0444;
        }
    }

    /** A /proc directory: its entries are computed at each lookup. */
    abstract static class ProcDir extends ProcNode {
        @Override
        public FileType type() {
            return FileType.DIRECTORY;
        }
    }

    static final class Root extends ProcDir {
        private final ProcInfo.Directory procs;

        Root(ProcInfo.Directory procs) {
            this.procs = procs;
        }

        @Override
        public Node lookup(String name) {
            if (name.equals("self")) {
                ProcInfo p = procs.current();
                return p == null ? null : new Link(Integer.toString(p.pid()));
            }
            try {
                ProcInfo p = procs.byPid(Integer.parseInt(name));
                return p == null ? null : new PidDir(p, procs.memWriteCheck());
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public List<String> list() {
            List<String> names = new ArrayList<>(List.of("self"));
            procs.all().keySet().forEach(pid -> names.add(Integer.toString(pid)));
            return names;
        }
    }

    static final class PidDir extends ProcDir {
        private final ProcInfo p;
        private final boolean memWriteCheck;

        PidDir(ProcInfo p, boolean memWriteCheck) {
            this.p = p;
            this.memWriteCheck = memWriteCheck;
        }

        @Override
        public Node lookup(String name) {
            return switch (name) {
                case "exe" -> new Link(p.exePath());
                case "fd" -> new FdDir(p);
                case "cmdline" -> new Content(p::cmdline);
                case "environ-wali" -> new Content(p::envFile);
                case "mem" -> new Mem(p.pid(), memWriteCheck);
                default -> null;
            };
        }

        @Override
        public List<String> list() {
            return List.of("cmdline", "environ-wali", "exe", "fd", "mem");
        }
    }

    static final class FdDir extends ProcDir {
        private final ProcInfo p;

        FdDir(ProcInfo p) {
            this.p = p;
        }

        @Override
        public FileType type() {
            return FileType.DIRECTORY;
        }

        @Override
        public Node lookup(String name) {
            try {
                int fd = Integer.parseInt(name);
                FdTable.Entry e = p.fdTable().snapshot().get(fd);
                return e == null ? null : new MagicLink(e.file());
            } catch (NumberFormatException e) {
                return null;
            }
        }

        @Override
        public List<String> list() {
            return p.fdTable().snapshot().keySet().stream().map(String::valueOf).toList();
        }
    }

    static class Link extends ProcNode {
        private final String target;

        Link(String target) {
            this.target = target;
        }

        @Override
        public FileType type() {
            return FileType.SYMLINK;
        }

        @Override
        public String readlink() {
            return target;
        }
    }

    /** /proc/PID/fd/N: reads as the path, follows to the open file's node. */
    static final class MagicLink extends Link {
        final OpenFile file;

        MagicLink(OpenFile file) {
            super(file.path());
            this.file = file;
        }

        /**
         * What following the link reaches. proc(5): "For file descriptors for pipes and sockets, the
         * entries will be symbolic links whose content is the file type with the inode", yet opening
         * a pipe's link opens the pipe itself (bash's /dev/fd/63 for process substitution relies on
         * it), so a pipe end follows to the pipe's {@link Pipe.Inode}. A socket has no such open:
         * Linux answers ENXIO, and so does this for socket pairs and the host's streams.
         */
        Node target() {
            Node node = file.node();
            if (node != null) return node;
            Pipe pipe = Pipe.of(file.handle());
            if (pipe == null) throw new SyscallError(Errno.ENXIO);
            return pipe.inode();
        }
    }

    /**
     * /proc/PID/mem. Writing a process's memory through it patches code without any exec-memory
     * syscall (a known bypass of W^X policies on Linux), so opening it for writing is a policy
     * violation; reading is refused too (EACCES): nothing in a container needs it.
     */
    static final class Mem extends ProcNode {
        private final int pid;
        private final boolean writeCheck;

        Mem(int pid, boolean writeCheck) {
            this.pid = pid;
            this.writeCheck = writeCheck;
        }

        @Override
        public FileType type() {
            return FileType.REGULAR;
        }

        @Override
        int permissions() {
            return 0600;
        }

        @Override
        public FileHandle open(int flags) {
            int acc = flags & OpenFlags.O_ACCMODE;
            if ((acc != OpenFlags.O_RDONLY || (flags & OpenFlags.O_TRUNC) != 0) && writeCheck) {
                throw dev.nojit.vkernel.policy.Violation.codeLoad("opened /proc/" + pid + "/mem for writing (patching process memory)",
                        new dev.nojit.audit.AuditEvent.TargetRef("/proc/" + pid + "/mem", null));
            }
            throw new SyscallError(Errno.EACCES);
        }
    }

    static final class Content extends ProcNode {
        private final Supplier<byte[]> content;

        Content(Supplier<byte[]> content) {
            this.content = content;
        }

        @Override
        public FileType type() {
            return FileType.REGULAR;
        }

        @Override
        public FileHandle open(int flags) {
            if ((flags & OpenFlags.O_ACCMODE) != OpenFlags.O_RDONLY) throw new SyscallError(Errno.EACCES);
            return Vfs.readOnlyBytes(content.get());
        }
    }

}
