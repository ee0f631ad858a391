package dev.nojit.vkernel.fs;

/** A symbolic link of the memory layer; its target is resolved in the container's namespace. */
final class MemSymlink extends MemNode {
    private final String target;

    MemSymlink(String target) {
        super(0777);
        this.target = target;
    }

    @Override
    public FileType type() {
        return FileType.SYMLINK;
    }

    @Override
    long size() {
        return target.length();
    }

    @Override
    long nodeCost() {
        return HeapCost.NODE + HeapCost.STRING + HeapCost.chars(target);
    }

    @Override
    public String readlink() {
        return target;
    }
}
