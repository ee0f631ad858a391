package dev.nojit.vkernel.fs;

import dev.nojit.vkernel.syscall.Errno;
import dev.nojit.vkernel.syscall.SyscallError;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.OpenOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileTime;
import java.nio.file.attribute.PosixFilePermission;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;

/** A file, directory or symlink inside a mounted host directory, looked at without ever following a host symlink. */
final class HostNode extends Node {
    private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
    private final HostMount mount;
    private final Path path;

    HostNode(HostMount mount, Path path) {
        this.mount = mount;
        this.path = path;
    }

    static HostNode root(HostMount mount) {
        return new HostNode(mount, mount.root());
    }

    @Override
    public boolean readOnly() {
        return mount.readOnly();
    }

    private void writable() {
        if (mount.readOnly()) throw new SyscallError(Errno.EROFS);
    }

    static SyscallError errno(IOException e) {
        int errno;
        if (e instanceof NoSuchFileException) errno = Errno.ENOENT;
        else if (e instanceof FileAlreadyExistsException) errno = Errno.EEXIST;
        else if (e instanceof DirectoryNotEmptyException) errno = Errno.ENOTEMPTY;
        else if (e instanceof AccessDeniedException) errno = Errno.EACCES;
        else if (e instanceof NotDirectoryException) errno = Errno.ENOTDIR;
        else if (e instanceof FileSystemLoopException) errno = Errno.ELOOP;
        else if (e instanceof FileSystemException f && f.getReason() != null) {
            String r = f.getReason();
            if (r.contains("Not a directory")) errno = Errno.ENOTDIR;
            else if (r.contains("Is a directory")) errno = Errno.EISDIR;
            else if (r.contains("No space")) errno = Errno.ENOSPC;
            else if (r.contains("Too many levels")) errno = Errno.ELOOP;
            else if (r.contains("Read-only")) errno = Errno.EROFS;
            else if (r.contains("cross-device")) errno = Errno.EXDEV;
            else errno = Errno.EIO;
        } else errno = Errno.EIO;
        return new SyscallError(errno);
    }

    private Map<String, Object> attrs() {
        try {
            return Files.readAttributes(path, "unix:mode,ino,nlink,uid,gid,rdev,size,lastAccessTime,lastModifiedTime,ctime", NOFOLLOW);
        } catch (IOException e) {
            throw errno(e);
        } catch (UnsupportedOperationException e) {
            throw new SyscallError(Errno.EIO);
        }
    }

    @Override
    public FileType type() {
        int mode = (Integer) attrs().get("mode");
        for (FileType t : FileType.values()) if ((mode & FileType.S_IFMT) == t.modeBits) return t;
        return FileType.REGULAR;
    }

    @Override
    public Stat stat() {
        Map<String, Object> a = attrs();
        return new Stat(mount.dev(), (Long) a.get("ino"), ((Number) a.get("nlink")).longValue(), (Integer) a.get("mode"),
                0, 0, 0, (Long) a.get("size"), nanos(a.get("lastAccessTime")), nanos(a.get("lastModifiedTime")),
                nanos(a.get("ctime")));
    }

    private static long nanos(Object t) {
        return t instanceof FileTime ft ? ft.to(TimeUnit.NANOSECONDS) : 0;
    }

    @Override
    public void chmod(int mode) {
        writable();
        Set<PosixFilePermission> perms = new HashSet<>();
        PosixFilePermission[] order = {PosixFilePermission.OTHERS_EXECUTE, PosixFilePermission.OTHERS_WRITE,
                PosixFilePermission.OTHERS_READ, PosixFilePermission.GROUP_EXECUTE, PosixFilePermission.GROUP_WRITE,
                PosixFilePermission.GROUP_READ, PosixFilePermission.OWNER_EXECUTE, PosixFilePermission.OWNER_WRITE,
                PosixFilePermission.OWNER_READ};
        for (int i = 0; i < 9; i++) if ((mode & (1 << i)) != 0) perms.add(order[i]);
        try {
            if (Files.isSymbolicLink(path)) throw new SyscallError(Errno.EOPNOTSUPP);
            try {
                Files.setAttribute(path, "unix:mode", mode & 07777, NOFOLLOW); // keeps setuid, setgid, sticky
            } catch (UnsupportedOperationException | IllegalArgumentException e) {
                Files.setPosixFilePermissions(path, perms);
            }
        } catch (IOException e) {
            throw errno(e);
        }
    }

    @Override
    public void chown(int uid, int gid) {
        writable(); // the container's root owns everything it sees; ownership of host files is not changed
    }

    @Override
    public void setTimes(long a, long m) {
        writable();
        try {
            var view = Files.getFileAttributeView(path, java.nio.file.attribute.BasicFileAttributeView.class, NOFOLLOW);
            view.setTimes(m < 0 ? null : FileTime.from(m, TimeUnit.NANOSECONDS), a < 0 ? null : FileTime.from(a, TimeUnit.NANOSECONDS), null);
        } catch (IOException e) {
            throw errno(e);
        }
    }

    private Path child(String name) {
        return path.resolve(name);
    }

    @Override
    public Node lookup(String name) {
        // Vfs.resolve has just checked this is a directory: no second stat of it here.
        Path c = child(name);
        return Files.exists(c, NOFOLLOW) ? new HostNode(mount, c) : null;
    }

    @Override
    public List<String> list() {
        List<String> names = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(path)) {
            for (Path p : ds) names.add(p.getFileName().toString());
        } catch (IOException e) {
            throw errno(e);
        }
        names.sort(null);
        return names;
    }

    @Override
    public Node createFile(String name, int mode) {
        return create(name, mode, Files::createFile);
    }

    @Override
    public Node mkdir(String name, int mode) {
        return create(name, mode, Files::createDirectory);
    }

    private interface Creator {
        void create(Path path) throws IOException;
    }

    private Node create(String name, int mode, Creator creator) {
        writable();
        try {
            creator.create(child(name));
        } catch (IOException e) {
            throw errno(e);
        }
        HostNode n = new HostNode(mount, child(name));
        n.chmod(mode);
        return n;
    }

    @Override
    public void symlink(String name, String target) {
        writable();
        try {
            Files.createSymbolicLink(child(name), Path.of(target));
        } catch (IOException | java.nio.file.InvalidPathException e) {
            throw e instanceof IOException io ? errno(io) : new SyscallError(Errno.EINVAL);
        }
    }

    @Override
    public void link(String name, Node existing) {
        writable();
        if (!(existing instanceof HostNode h) || h.mount != mount) throw new SyscallError(Errno.EXDEV);
        if (h.type() == FileType.DIRECTORY) throw new SyscallError(Errno.EPERM);
        try {
            Files.createLink(child(name), h.path);
        } catch (IOException e) {
            throw errno(e);
        }
    }

    @Override
    public void unlink(String name) {
        writable();
        Path c = child(name);
        if (Files.isDirectory(c, NOFOLLOW)) throw new SyscallError(Errno.EISDIR);
        try {
            Files.delete(c);
        } catch (IOException e) {
            throw errno(e);
        }
    }

    @Override
    public void rmdir(String name) {
        writable();
        Path c = child(name);
        if (!Files.isDirectory(c, NOFOLLOW)) throw new SyscallError(Files.exists(c, NOFOLLOW) ? Errno.ENOTDIR : Errno.ENOENT);
        try {
            Files.delete(c);
        } catch (IOException e) {
            throw errno(e);
        }
    }

    @Override
    public void rename(String name, Node dst, String dstName) {
        writable();
        if (!(dst instanceof HostNode d) || d.mount != mount) throw new SyscallError(Errno.EXDEV);
        try {
            Files.move(child(name), d.child(dstName), StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (IOException e) {
            throw errno(e);
        }
    }

    @Override
    public String readlink() {
        if (!Files.isSymbolicLink(path)) throw new SyscallError(Errno.EINVAL);
        try {
            return Files.readSymbolicLink(path).toString();
        } catch (IOException e) {
            throw errno(e);
        }
    }

    @Override
    public boolean storesContent() {
        return true;
    }

    @Override
    public FileHandle open(int flags) {
        FileType t = type();
        if (t == FileType.DIRECTORY) throw new SyscallError(Errno.EISDIR);
        if (t != FileType.REGULAR) throw new SyscallError(Errno.ENXIO);
        int acc = flags & OpenFlags.O_ACCMODE;
        boolean write = acc != OpenFlags.O_RDONLY || (flags & OpenFlags.O_TRUNC) != 0;
        if (write) writable();
        List<OpenOption> opts = new ArrayList<>(List.of(NOFOLLOW, StandardOpenOption.READ));
        if (write) opts.add(StandardOpenOption.WRITE);
        FileChannel ch;
        try {
            ch = FileChannel.open(path, opts.toArray(OpenOption[]::new));
        } catch (IOException e) {
            throw errno(e);
        }
        return new FileHandle() {
            @Override
            public int read(long pos, byte[] buf, int off, int len) {
                try {
                    int n = ch.read(ByteBuffer.wrap(buf, off, len), pos);
                    return Math.max(n, 0);
                } catch (IOException e) {
                    throw errno(e);
                }
            }

            @Override
            public int write(long pos, byte[] buf, int off, int len) {
                writable();
                try {
                    ByteBuffer b = ByteBuffer.wrap(buf, off, len);
                    long p = pos;
                    while (b.hasRemaining()) p += ch.write(b, p);
                    return len;
                } catch (IOException e) {
                    throw errno(e);
                }
            }

            @Override
            public long size() {
                try {
                    return ch.size();
                } catch (IOException e) {
                    throw errno(e);
                }
            }

            @Override
            public void truncate(long length) {
                writable();
                try {
                    long size = ch.size();
                    if (length < size) ch.truncate(length);
                    else if (length > size) ch.write(ByteBuffer.wrap(new byte[1]), length - 1);
                } catch (IOException e) {
                    throw errno(e);
                }
            }

            @Override
            public void sync() {
                try {
                    ch.force(true);
                } catch (IOException e) {
                    throw errno(e);
                }
            }

            @Override
            public void close() {
                try {
                    ch.close();
                } catch (IOException e) {
                    // nothing to report to anyone: the descriptor is gone
                }
            }
        };
    }
}
