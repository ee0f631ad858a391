package dev.nojit.vkernel.fs;

import java.nio.file.Path;

/**
 * A host directory mounted into the container ({@code --mount PATH=HOSTDIR[:ro]}). Nothing
 * outside {@code root} is reachable through it: the {@link Vfs} resolves every component
 * itself, never lets the host follow a symlink (links are read and resolved in the
 * container's namespace), handles {@code ..} above the mount root in the container, and
 * refuses renames and links across storages with EXDEV.
 */
public record HostMount(String containerPath, Path root, boolean readOnly, long dev) {}
