package dev.nojit.cli.simulate;

import dev.nojit.bundle.json.CanonicalJson;
import dev.nojit.host.ProcessGuards;
import dev.nojit.host.seccomp.SeccompInstaller;
import tools.jackson.databind.node.ObjectNode;

import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The locked-down simulation JVM ({@link LockedDownSimulation} starts it, confined by Landlock):
 * {@code SimulationMain WORK JOBS TECHNIQUE...}. Opens the bundles, locks itself down as the
 * vkernel does (PR_SET_DUMPABLE 0, the vkernel's seccomp filter on every thread), then runs the
 * techniques and writes its JSON lines to stdout (format: {@link LockedDownSimulation}).
 */
public final class SimulationMain {
    private SimulationMain() {}

    public static void main(String[] args) {
        PrintStream err = new PrintStream(new FileOutputStream(FileDescriptor.err), true);
        PrintStream out = new PrintStream(new FileOutputStream(FileDescriptor.out), false, StandardCharsets.UTF_8);
        int code = 0;
        try {
            if (args.length < 2) throw new IllegalArgumentException("usage: SimulationMain WORK JOBS TECHNIQUE... (started by nojit simulate)");
            ProcessGuards.dieWithParent();
            ProcessGuards.haltWhenOrphaned(137);
            List<Technique> chosen = new ArrayList<>();
            for (int i = 2; i < args.length; i++) {
                String name = args[i];
                chosen.add(Techniques.all().stream().filter(t -> t.name().equals(name)).findFirst()
                        .orElseThrow(() -> new IllegalArgumentException("no such technique: " + name)));
            }
            try (SimulationBundles bundles = SimulationBundles.open(Path.of(args[0]))) {
                ProcessGuards.notDumpable();
                SeccompInstaller.Installed filter = SeccompInstaller.installVkernelFilter();
                ObjectNode lockdown = CanonicalJson.mapper().createObjectNode();
                lockdown.putObject("seccomp").put("sha256", filter.sha256()).put("instructions", filter.instructions());
                line(out, lockdown);
                for (Row r : new Simulation(bundles, Integer.parseInt(args[1]), Simulation.scratch(Path.of(args[0]))).run(chosen)) {
                    ObjectNode row = CanonicalJson.mapper().createObjectNode();
                    row.put("technique", r.technique().name()).put("observed", r.observed()).put("seq", r.seq()).put("passed", r.passed());
                    line(out, row);
                }
            }
        } catch (Exception | Error e) {
            err.println("nojit simulate: the locked-down simulation failed: " + e);
            code = 1;
        }
        out.flush();
        err.flush();
        Runtime.getRuntime().halt(code); // guest threads are daemons; nothing to shut down
    }

    private static void line(PrintStream out, ObjectNode n) {
        out.print(new String(CanonicalJson.canonicalize(n), StandardCharsets.UTF_8) + "\n");
        out.flush();
    }
}
