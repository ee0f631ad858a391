package dev.nojit.cli;

import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.InterpreterSpec;
import dev.nojit.bundle.manifest.Manifest;
import dev.nojit.bundle.manifest.Policy;

import java.io.PrintWriter;
import java.util.List;
import java.util.stream.Collectors;

/** The human view of a manifest: builder, policy (with any interpreter specs), then one row per image entry. */
final class ManifestTable {
    private ManifestTable() {}

    static void print(PrintWriter w, Manifest m) {
        w.println("builder:  " + m.builder().name() + " " + m.builder().version());
        w.println("created:  " + m.created());
        w.println("policy:   " + Policy.KEYS.stream().map(k -> k + "=" + m.policy().get(k)).collect(Collectors.joining(" ")));
        m.policy().interpreters().forEach((path, spec) -> printSpec(w, path, spec));
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
                    extra += x.engine() == dev.nojit.bundle.manifest.EngineMode.AOT
                            ? "; engine aot, " + x.module().aotClasses().size() + " classes" : "; engine interpreter";
                    if (!x.compat().isEmpty()) extra += "; compat " + x.compat().stream().map(c -> c.jsonName()).collect(Collectors.joining(","));
                    // Content addressing: a copy of a listed interpreter gets its spec too.
                    if (m.interpreterSpec(x.sha256()).isPresent()) extra += "; interpreter spec";
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

    /** One interpreter spec: what counts as code on its command line, one aspect a line. */
    private static void printSpec(PrintWriter w, String path, InterpreterSpec spec) {
        w.println("interpreter " + path + ":");
        row(w, "inline code (refused)", spec.inlineCode());
        row(w, "code from stdin", spec.stdinCode());
        row(w, "interactive (stdin)", spec.interactive());
        row(w, "script-file flags", spec.scriptFile());
        row(w, "flags with argument", spec.takesArgument());
        row(w, "other flags", spec.flags());
        row(w, "code variables", spec.codeVariables());
        w.printf("  %-22s %s%s%s; lone - means %s%s%n", "syntax", "argument " + spec.optionArgument().jsonName(),
                spec.plusOptions() ? "; +X like -X" : "", spec.singleDashLongOptions() ? "; -name for --name" : "",
                spec.dash() == InterpreterSpec.Dash.STDIN_ALWAYS ? "stdin, also right after --" : spec.dash().jsonName(), spec.loginArgv0() ? "; argv[0] -name is a login shell (refused)" : "");
    }

    private static void row(PrintWriter w, String label, List<String> items) {
        w.printf("  %-22s %s%n", label, items.isEmpty() ? "-" : String.join(" ", items));
    }
}
