package dev.nojit.host.landlock;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * One {@code LANDLOCK_RULE_PATH_BENEATH} rule: {@code rights} on {@code path} and everything beneath it.
 * The path is absolute and normalised; a rule on a file (not a directory) may carry only
 * {@link Access#FILE_RIGHTS}, as the kernel requires, so the printed rule is exactly what is applied.
 */
public record PathRule(Path path, Set<Access> rights) {
    public PathRule {
        path = path.toAbsolutePath().normalize();
        if (rights.isEmpty()) throw new IllegalArgumentException("rule for " + path + " grants nothing");
        rights = Set.copyOf(EnumSet.copyOf(rights));
    }

    public static PathRule read(Path path) {
        return fitted(path, Access.READ);
    }

    public static PathRule readExecute(Path path) {
        return fitted(path, Access.READ_EXECUTE);
    }

    public static PathRule readWrite(Path path) {
        return fitted(path, Access.READ_WRITE);
    }

    /** {@code rights}, cut to the file rights when {@code path} is not a directory. */
    public static PathRule fitted(Path path, Set<Access> rights) {
        if (Files.isDirectory(path)) return new PathRule(path, rights);
        EnumSet<Access> forFile = EnumSet.noneOf(Access.class);
        for (Access a : rights) if (Access.FILE_RIGHTS.contains(a)) forFile.add(a);
        return new PathRule(path, forFile);
    }

    /** One line: the rights in bit order, then the path, e.g. {@code READ_FILE,READ_DIR /usr/lib/jvm}. */
    public String describe() {
        return EnumSet.copyOf(rights).stream().map(Enum::name).collect(Collectors.joining(",")) + " " + path;
    }
}
