/**
 * Host file access by descriptor, for the vkernel's host mounts: an owned descriptor
 * ({@link dev.nojit.host.files.HostFd}), and the descriptor-relative calls on it
 * ({@link dev.nojit.host.files.HostFiles}) — {@code openat2} beneath a directory descriptor with
 * no symlink or magic-link resolution and single path components only, {@code fstatat},
 * {@code fchmodat2}, {@code utimensat} on the descriptor itself ({@code AT_EMPTY_PATH}), the
 * {@code *at} namespace calls, {@code getdents64}, and positional I/O. Nothing here takes a host
 * path except {@link dev.nojit.host.files.HostFiles#openRoot}, which opens a mount's root once.
 * Failures are {@link dev.nojit.host.HostCallException}s carrying the errno.
 */
package dev.nojit.host.files;
