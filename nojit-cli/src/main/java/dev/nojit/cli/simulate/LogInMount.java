package dev.nojit.cli.simulate;

import dev.nojit.cli.EvidencePlacement;
import dev.nojit.cli.EvidencePlacement.Evidence;
import dev.nojit.cli.EvidencePlacement.Exposed;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The log-in-mount technique of {@code nojit simulate} (issue 15): the layouts in which a guest
 * would reach its own audit log — and could unlink it and write a shorter chain back — asked of
 * the same check {@code nojit run} makes before anything runs ({@link EvidencePlacement}). The
 * simulation runs its containers in its own JVM, not through {@code nojit run}, and the
 * locked-down simulation JVM may neither write nor exec; so the layout is planted beside the
 * bundles when they are built ({@link #plant}) and the check, which only resolves paths, is asked
 * about it there. The real {@code nojit run} refusals, with the tampering guest
 * ({@code attack-audit log-tamper}), are tested in nojit-cli's EvidenceOutOfReachTest. With the
 * check switched off the row reports GOT THROUGH.
 */
final class LogInMount {
    private LogInMount() {}

    private static Path root(Path work) {
        return work.resolve("log-in-mount");
    }

    /** work/log-in-mount/{shared/, logs/run/, innocent -> shared}: a mount source, a log directory, a symlink. */
    static void plant(Path work) throws IOException {
        Path root = root(work);
        Files.createDirectories(root.resolve("shared"));
        Files.createDirectories(root.resolve("logs/run"));
        Path link = root.resolve("innocent");
        if (!Files.isSymbolicLink(link)) Files.createSymbolicLink(link, root.resolve("shared"));
    }

    private record Layout(String name, List<Evidence> evidence, List<Exposed> mounts) {}

    private static List<Layout> layouts(Path work) {
        Path root = root(work), shared = root.resolve("shared"), logs = root.resolve("logs");
        String fix = "pass --audit-log FILE outside every mounted directory";
        Exposed rw = new Exposed("/logs=" + shared, shared, false);
        List<Layout> out = new ArrayList<>();
        out.add(new Layout("rw mount over the log", List.of(new Evidence("--audit-log", shared.resolve("audit.jsonl"), fix)), List.of(rw)));
        out.add(new Layout("symlinked directory", List.of(new Evidence("--audit-log", root.resolve("innocent/audit.jsonl"), fix)), List.of(rw)));
        out.add(new Layout("..", List.of(new Evidence("--audit-log", logs.resolve("../shared/audit.jsonl"), fix)), List.of(rw)));
        out.add(new Layout("ro mount", List.of(new Evidence("--audit-log", shared.resolve("audit.jsonl"), fix)),
                List.of(new Exposed("/logs=" + shared + ":ro", shared, true))));
        out.add(new Layout("mount below the log", List.of(new Evidence("--audit-log", logs.resolve("audit.jsonl"), fix)),
                List.of(new Exposed("/w=" + logs.resolve("run"), logs.resolve("run"), false))));
        out.add(new Layout("attestation in the mount", List.of(new Evidence("--audit-log", logs.resolve("audit.jsonl"), fix),
                new Evidence("--attestation", shared.resolve("run.att"), fix)), List.of(rw)));
        return out;
    }

    static Row row(Technique t, Path work) {
        if (!Files.isDirectory(root(work))) return new Row(t, "the layout was not planted (" + root(work) + ")", "-", false);
        List<Layout> layouts = layouts(work);
        for (Layout l : layouts) {
            Optional<String> refusal = EvidencePlacement.refusal(l.evidence(), l.mounts());
            if (refusal.isEmpty()) {
                return new Row(t, "GOT THROUGH: nojit run would accept the audit log with a " + l.name()
                        + " (the guest could unlink and rewrite it)", "-", false);
            }
        }
        return new Row(t, layouts.size() + " layouts refused (rw, symlink, .., ro, below, attestation), exit 125", "-", true);
    }
}
