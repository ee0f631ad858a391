package dev.nojit.cli;

import dev.nojit.vkernel.policy.PolicyCheck;
import dev.nojit.vkernel.policy.PolicyChecks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/**
 * Where a run's evidence — the audit log and the attestation — may lie: out of the guest's reach
 * (issue 15, finding 2: a guest that could reach the log's directory unlinked the log, committed a
 * violation into the unlinked file and wrote a shorter, valid chain back).
 *
 * <p>The rules, on canonical paths (every symlink resolved; for a file that does not exist yet,
 * its directory resolved) and on directory identity (device and inode, so a bind mount of the same
 * directory under another name is the same directory):
 * <ul>
 * <li>no evidence file, nor its directory, may lie inside (or be) a {@code --mount} source: the
 *     guest could delete, replace or rewrite it;</li>
 * <li>no {@code --mount} source may lie inside the evidence's directory: one escape from the mount
 *     (a stale host path, a symlink swap, {@code ..}) would reach the log;</li>
 * <li>read-only mounts count too: the guest could read the log (the argv and paths of every process
 *     of the run) and watch it grow; and with {@code --host-lockdown off} "read-only" is the
 *     vkernel's promise alone, with no Landlock rule behind it;</li>
 * <li>an existing (empty) evidence file with more than one hard link is refused: another name for
 *     it could be in reach;</li>
 * <li>the vkernel's Landlock ruleset never names an evidence file or a directory above one
 *     ({@link #inRuleset}, checked on the ruleset given to the spawn).</li>
 * </ul>
 * The check is {@link PolicyCheck#EVIDENCE_OUT_OF_REACH}: a test build can switch it off to show
 * that {@code nojit simulate}'s log-in-mount row then fails.
 */
public final class EvidencePlacement {
    private EvidencePlacement() {}

    /**
     * A file of evidence.
     *
     * @param what how to name it in a message ("--audit-log x.jsonl", "the audit log (default: ...)")
     * @param fix  what the user should do instead (e.g. "pass --audit-log FILE outside every mounted directory")
     */
    public record Evidence(String what, Path file, String fix) {
        public Evidence {
            Objects.requireNonNull(what, "what");
            Objects.requireNonNull(file, "file");
            Objects.requireNonNull(fix, "fix");
        }
    }

    /** A host directory the guest reaches: a {@code --mount} source. */
    public record Exposed(String spec, Path dir, boolean readOnly) {}

    /**
     * Why {@code evidence} may not be placed where it is, given the guest's {@code mounts}; empty
     * when every file is out of reach. One line, naming the file, the mount and what to do.
     */
    public static Optional<String> refusal(List<Evidence> evidence, List<Exposed> mounts) {
        if (!PolicyChecks.forNewKernel().on(PolicyCheck.EVIDENCE_OUT_OF_REACH)) return Optional.empty();
        for (Evidence e : evidence) {
            Path file;
            try {
                file = canonical(e.file());
                Optional<String> links = hardLinks(file);
                if (links.isPresent()) return Optional.of(e.what() + ": " + links.get() + "; " + e.fix());
            } catch (IOException x) {
                return Optional.of(e.what() + ": cannot resolve " + e.file() + " (" + x.getMessage() + "); " + e.fix());
            }
            Path dir = file.getParent();
            for (Exposed m : mounts) {
                Path mount;
                try {
                    mount = m.dir().toRealPath();
                } catch (IOException x) {
                    continue; // no such directory: the container refuses the mount itself
                }
                String access = m.readOnly() ? "read" : "read and write";
                if (within(dir, mount)) {
                    return Optional.of(e.what() + " (" + file + ") lies inside --mount " + m.spec() + ", which the guest can "
                            + access + " (it could delete or rewrite the record of its own run); " + e.fix());
                }
                if (within(mount, dir)) {
                    return Optional.of(e.what() + " (" + file + "): its directory " + dir + " contains --mount " + m.spec()
                            + ", which the guest can " + access + " (one escape from the mount would reach it); " + e.fix());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * Why the Landlock ruleset with rules on {@code rulePaths} may not be given to the vkernel: a
     * rule names an evidence file or a directory above one. Empty when none does.
     */
    public static Optional<String> inRuleset(List<Evidence> evidence, List<Path> rulePaths) {
        if (!PolicyChecks.forNewKernel().on(PolicyCheck.EVIDENCE_OUT_OF_REACH)) return Optional.empty();
        for (Evidence e : evidence) {
            Path file;
            try {
                file = canonical(e.file());
            } catch (IOException x) {
                return Optional.of(e.what() + ": cannot resolve " + e.file() + " (" + x.getMessage() + "); " + e.fix());
            }
            for (Path rule : rulePaths) {
                boolean covers;
                try {
                    Path real = rule.toRealPath();
                    covers = file.startsWith(real) || within(file.getParent(), real);
                } catch (IOException x) {
                    covers = file.startsWith(rule.toAbsolutePath().normalize());
                }
                if (covers) {
                    return Optional.of(e.what() + " (" + file + ") lies under " + rule + ", which the vkernel's Landlock rules open to it; "
                            + e.fix());
                }
            }
        }
        return Optional.empty();
    }

    /**
     * The canonical path of {@code file}: every symlink resolved. A file that does not exist yet is
     * its resolved directory plus its name; a name that is itself a (dangling) symlink is refused by
     * {@code toRealPath}, and "." or ".." as the last name is resolved with the directory.
     */
    static Path canonical(Path file) throws IOException {
        Path abs = file.toAbsolutePath();
        if (Files.exists(abs, LinkOption.NOFOLLOW_LINKS)) return abs.toRealPath();
        Path name = abs.getFileName();
        Path parent = abs.getParent();
        if (name == null || parent == null || name.toString().equals(".") || name.toString().equals("..")) return abs.toRealPath();
        return parent.toRealPath().resolve(name);
    }

    /** True when {@code inner} is {@code outer} or lies below it: by path, or by the identity of a directory on its way up. */
    static boolean within(Path inner, Path outer) {
        if (inner.startsWith(outer)) return true;
        Object key = key(outer);
        if (key == null) return false;
        for (Path p = inner; p != null; p = p.getParent()) {
            if (key.equals(key(p))) return true;
        }
        return false;
    }

    /** The device and inode of a directory (bind mounts of one directory share them); null when unknown. */
    private static Object key(Path p) {
        try {
            return Files.readAttributes(p, BasicFileAttributes.class).fileKey();
        } catch (IOException e) {
            return null;
        }
    }

    private static Optional<String> hardLinks(Path file) throws IOException {
        if (!Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) return Optional.empty(); // none yet, or refused when created
        Object n = Files.getAttribute(file, "unix:nlink");
        if (n instanceof Integer links && links > 1) {
            return Optional.of(file + " has " + links + " hard links (another name for it could be in the guest's reach)");
        }
        return Optional.empty();
    }

    /** The evidence of a run as {@code nojit run} names it: the log (given or default) and the attestation. */
    static List<Evidence> ofRun(Path auditLog, boolean defaultLog, Path attestation) {
        List<Evidence> out = new ArrayList<>();
        String fix = "pass --audit-log FILE outside every mounted directory";
        out.add(defaultLog
                ? new Evidence("the default audit log in the current directory", auditLog, fix)
                : new Evidence("--audit-log " + auditLog, auditLog, fix));
        if (attestation != null) {
            out.add(new Evidence("--attestation " + attestation, attestation, "pass --attestation FILE outside every mounted directory"));
        }
        return out;
    }
}
