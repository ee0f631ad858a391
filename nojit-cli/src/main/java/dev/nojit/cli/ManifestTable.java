package dev.nojit.cli;

import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.Manifest;
import dev.nojit.bundle.manifest.Policy;

import java.io.PrintWriter;
import java.util.stream.Collectors;

/** The human view of a manifest: builder, policy, then one row per image entry. */
final class ManifestTable {
    private ManifestTable() {}

    static void print(PrintWriter w, Manifest m) {
        w.println("builder:  " + m.builder().name() + " " + m.builder().version());
        w.println("created:  " + m.created());
        w.println("policy:   " + Policy.KEYS.stream().map(k -> k + "=" + m.policy().get(k)).collect(Collectors.joining(" ")));
        w.println();
        w.printf("%-10s %-4s %10s  %-64s  %s%n", "KIND", "MODE", "SIZE", "SHA256", "PATH");
        for (ImageEntry e : m.entries()) {
            String size = "-", sha = "-", extra = "";
            if (e instanceof ImageEntry.WithContent f) {
                size = Long.toString(f.size());
                sha = f.sha256();
            }
            switch (e) {
                case ImageEntry.Script s -> extra = "  (interpreter " + s.interpreter() + ")";
                case ImageEntry.Executable x -> {
                    extra = "  (" + (x.module().personalities().isEmpty() ? "no imports" : String.join(", ", x.module().personalities()));
                    extra += "; image " + x.module().predecoded().size() + " bytes";
                    if (!x.compat().isEmpty()) extra += "; compat " + x.compat().stream().map(c -> c.jsonName()).collect(Collectors.joining(","));
                    extra += ")";
                }
                default -> { }
            }
            w.printf("%-10s %04o %10s  %-64s  %s%s%n", e.kind(), e.mode(), size, sha, e.path(), extra);
        }
        long exec = m.entries().stream().filter(e -> e instanceof ImageEntry.Executable).count();
        long scripts = m.entries().stream().filter(e -> e instanceof ImageEntry.Script).count();
        long data = m.entries().stream().filter(e -> e instanceof ImageEntry.DataFile).count();
        long dirs = m.entries().stream().filter(e -> e instanceof ImageEntry.Directory).count();
        w.println();
        w.printf("%d executables, %d scripts, %d data files, %d directories; %d distinct blobs%n",
                exec, scripts, data, dirs, m.blobs().size());
    }
}
