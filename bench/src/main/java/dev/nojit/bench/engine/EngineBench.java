package dev.nojit.bench.engine;

import com.dylibso.chicory.wasm.Parser;
import com.dylibso.chicory.wasm.WasmModule;
import com.dylibso.chicory.wasm.types.Export;
import com.dylibso.chicory.wasm.types.ExternalType;
import dev.nojit.bench.HostInfo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.stream.Stream;

/**
 * The engine benchmark (bench/engine): runs each workload natively, on Chicory's
 * interpreter and on the nojit engine in the same process and prints one table of
 * best and median times, the ratios between them, and whether all checksums agree;
 * then how long loading a stored module image takes. Exit status 1 when a checksum
 * differs or a runner failed.
 */
public final class EngineBench {
    private final Options options;
    private final Repeater repeater;
    private final PrintStream progress = System.err;
    private final ReferenceInterpreters refs;
    /** One line per workload translated for the AOT columns. */
    private final List<String> aotNotes = new ArrayList<>();

    private EngineBench(Options options) {
        this.options = options;
        this.repeater = new Repeater(options.warmup(), options.reps());
        this.refs = options.refs() == null ? null : new ReferenceInterpreters(options.refs());
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("EngineBench: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new EngineBench(options).run());
    }

    private int run() throws IOException {
        String loadBefore = HostInfo.loadAverage();
        List<Path> workloads = workloadModules();
        if (workloads.isEmpty()) {
            System.err.println("EngineBench: no workloads (NAME.wasm) in " + options.workloads());
            return 2;
        }
        List<WorkloadResult> results = new ArrayList<>();
        for (Path wasm : workloads) results.add(runWorkload(wasm));
        List<String> notes = new ArrayList<>();
        for (Path program : options.programs()) runProgram(program, results, notes);
        List<LoadTiming> loads = new ArrayList<>();
        List<String> loadFailures = new ArrayList<>();
        for (Path module : loadModules(workloads)) timeLoad(module, loads, loadFailures);

        PrintStream out = System.out;
        out.println();
        out.println("==== nojit engine benchmark ====");
        out.println("machine: " + HostInfo.describe());
        out.printf(Locale.ROOT, "load average (1, 5, 15 min): %s before, %s after; other busy processes skew the figures%n",
                loadBefore, HostInfo.loadAverage());
        out.printf(Locale.ROOT, "runs: %d warm-up + %d measured per workload and runner, one instance each; "
                + "times are best (median) in seconds; ratios from the best times%n", options.warmup(), options.reps());
        if (refs != null) {
            out.println("reference interpreters (bench/refs: " + refs.dir() + "; wamr = WAMR fast interpreter, wasm3; "
                    + "module loaded once, each run() call timed like native): " + String.join("; ", refs.sources()));
        }
        if (options.aot()) {
            out.println("nojit AOT (bench/README.md): each module translated by nojit-aot here, its classes wrapped in bundle "
                    + "class blobs and defined by the vkernel's AotClassLoader; host JIT on = in this JVM, like the columns "
                    + "before it; host JIT off = a child JVM with -Xint (nojit run --host-jit off), "
                    + (options.xint() ? options.xintWarmup() + " warm-up + " + options.xintReps() + " measured per workload"
                    : "not run (--no-xint)"));
            aotNotes.forEach(n -> out.println("  " + n));
        }
        out.println();
        out.println(Report.workloads(results));
        notes.forEach(out::println);
        out.println();
        if (!loads.isEmpty()) {
            out.printf(Locale.ROOT, "Loading: best (median) ms; compile = ModuleImage.compile (parse, validate, translate), "
                    + "deserialize = ModuleImage.deserialize(image.serialize()) of %d runs%n", options.loadReps());
            out.println();
            out.println(Report.loads(loads));
            out.println();
        }
        List<String> problems = new ArrayList<>();
        results.forEach(r -> problems.addAll(r.mismatches()));
        results.forEach(r -> problems.addAll(r.failures()));
        problems.addAll(loadFailures);
        problems.forEach(p -> out.println("PROBLEM: " + p));
        return problems.isEmpty() ? 0 : 1;
    }

    private List<Path> workloadModules() throws IOException {
        try (Stream<Path> files = Files.list(options.workloads())) {
            return files.filter(p -> p.getFileName().toString().endsWith(".wasm"))
                    .filter(p -> options.only().isEmpty() || options.only().contains(baseName(p)))
                    .sorted().toList();
        }
    }

    private WorkloadResult runWorkload(Path wasm) throws IOException {
        String name = baseName(wasm);
        byte[] bytes = Files.readAllBytes(wasm);
        Map<String, Outcome> outcomes = new LinkedHashMap<>();
        Path executable = wasm.resolveSibling(name);
        outcomes.put(WorkloadResult.NATIVE, Files.isExecutable(executable)
                ? NativeProgram.measure(executable, options.warmup(), options.reps())
                : new Outcome.Skipped("no native build at " + executable));
        report(name, WorkloadResult.NATIVE, outcomes.get(WorkloadResult.NATIVE));
        if (refs != null) {
            for (String runner : ReferenceInterpreters.RUNNERS) {
                outcomes.put(runner, refs.measure(runner, wasm, options.warmup(), options.reps()));
                report(name, runner, outcomes.get(runner));
            }
        }
        outcomes.put(WorkloadResult.CHICORY, options.chicory()
                ? repeater.measure(new ChicoryEngine(), bytes)
                : new Outcome.Skipped("--no-chicory"));
        report(name, WorkloadResult.CHICORY, outcomes.get(WorkloadResult.CHICORY));
        outcomes.put(WorkloadResult.NOJIT, repeater.measure(new NojitEngine(), bytes));
        report(name, WorkloadResult.NOJIT, outcomes.get(WorkloadResult.NOJIT));
        if (options.aot()) measureAot(name, wasm, bytes, outcomes);
        return new WorkloadResult(name, outcomes);
    }

    /**
     * The AOT columns: the module translated once here (as {@code nojit build --engine aot} would), then run
     * with its classes defined by the vkernel's loader, in this JVM (host JIT on) and in a child JVM with
     * {@code -Xint} (host JIT off), which reads the same class blobs from {@code WORKLOADS/aot/NAME/}.
     */
    private void measureAot(String name, Path wasm, byte[] bytes, Map<String, Outcome> outcomes) {
        AotClasses classes;
        try {
            long t0 = System.nanoTime();
            classes = AotClasses.translate(bytes);
            double seconds = (System.nanoTime() - t0) / 1e9;
            aotNotes.add(String.format(Locale.ROOT, "%s: %d of %d functions compiled (%d over HotSpot's 8,000-byte JIT limit), "
                    + "%d classes, translated in %.2f s", name, classes.compiled(), classes.defined(), classes.huge(),
                    classes.blobs().size(), seconds));
            progress.println("# aot " + aotNotes.getLast());
        } catch (Exception e) {
            Outcome failed = Outcome.failed(e);
            outcomes.put(WorkloadResult.AOT, failed);
            if (options.xint()) outcomes.put(WorkloadResult.AOT_XINT, failed);
            report(name, WorkloadResult.AOT, failed);
            return;
        }
        outcomes.put(WorkloadResult.AOT, repeater.measure(new AotEngine(classes), bytes));
        report(name, WorkloadResult.AOT, outcomes.get(WorkloadResult.AOT));
        if (!options.xint()) return;
        Path dir = options.workloads().resolve("aot").resolve(name);
        try {
            classes.write(dir);
        } catch (IOException e) {
            outcomes.put(WorkloadResult.AOT_XINT, Outcome.failed(e));
            report(name, WorkloadResult.AOT_XINT, outcomes.get(WorkloadResult.AOT_XINT));
            return;
        }
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xint",
                "-cp", System.getProperty("java.class.path"), AotRun.class.getName(), wasm.toString(), dir.toString());
        outcomes.put(WorkloadResult.AOT_XINT, NativeProgram.measure(command, options.xintWarmup(), options.xintReps()));
        report(name, WorkloadResult.AOT_XINT, outcomes.get(WorkloadResult.AOT_XINT));
    }

    /**
     * Runs a program like a workload when it needs nothing from a host and exports {@code run};
     * otherwise says what it would need. Its shape comes from Chicory's parser, so the note is
     * right even when the nojit engine refuses the module (that shows in the loading table).
     */
    private void runProgram(Path program, List<WorkloadResult> results, List<String> notes) throws IOException {
        String name = program.getFileName().toString();
        byte[] bytes = Files.readAllBytes(program);
        WasmModule module;
        try {
            module = Parser.parse(bytes);
        } catch (RuntimeException e) {
            notes.add("SKIPPED " + name + ": not a valid module: " + e.getMessage());
            return;
        }
        Map<String, Integer> imports = new TreeMap<>();
        module.importSection().stream().forEach(i -> imports.merge(i.module(), 1, Integer::sum));
        List<String> functionExports = new ArrayList<>();
        for (int i = 0; i < module.exportSection().exportCount(); i++) {
            Export e = module.exportSection().getExport(i);
            if (e.exportType() == ExternalType.FUNCTION) functionExports.add(e.name());
        }
        if (imports.isEmpty() && functionExports.contains("run")) {
            Map<String, Outcome> outcomes = new LinkedHashMap<>();
            outcomes.put(WorkloadResult.CHICORY, options.chicory() ? repeater.measure(new ChicoryEngine(), bytes)
                    : new Outcome.Skipped("--no-chicory"));
            outcomes.put(WorkloadResult.NOJIT, repeater.measure(new NojitEngine(), bytes));
            results.add(new WorkloadResult(name, outcomes));
            return;
        }
        notes.add("SKIPPED " + name + ": " + whyNotRunnable(imports, functionExports));
        progress.println("# " + notes.getLast());
    }

    private static String whyNotRunnable(Map<String, Integer> imports, List<String> functionExports) {
        if (imports.containsKey("wali")) {
            return "imports " + imports.get("wali") + " Linux system calls from \"wali\"; running it needs the vkernel's "
                    + "Linux personality (a later issue), which this benchmark does not provide";
        }
        if (!imports.isEmpty()) return "needs imports this benchmark does not provide: " + imports;
        return "no \"run\" function export (function exports: " + functionExports + ")";
    }

    /** The largest workload module, then every --load and --program module. */
    private List<Path> loadModules(List<Path> workloads) throws IOException {
        Set<Path> modules = new LinkedHashSet<>();
        Path largest = null;
        long largestSize = -1;
        for (Path p : workloads) {
            long size = Files.size(p);
            if (size > largestSize) {
                largest = p;
                largestSize = size;
            }
        }
        if (largest != null) modules.add(largest);
        modules.addAll(options.load());
        modules.addAll(options.programs());
        List<Path> sorted = new ArrayList<>(modules);
        sorted.sort(Comparator.comparingLong(EngineBench::sizeOrZero));
        return sorted;
    }

    private void timeLoad(Path module, List<LoadTiming> loads, List<String> failures) {
        try {
            LoadTiming t = LoadTiming.measure(module, Files.readAllBytes(module), options.loadReps());
            progress.printf(Locale.ROOT, "# load %s: deserialize %.2f ms best%n", module.getFileName(), t.deserialize().best() * 1e3);
            loads.add(t);
        } catch (Exception e) {
            failures.add("loading " + module.getFileName() + ": " + Outcome.failed(e).reason());
        }
    }

    private void report(String workload, String runner, Outcome o) {
        String text = switch (o) {
            case Outcome.Measured m -> String.format(Locale.ROOT, "%s s best, %s s median, checksum %d",
                    Report.fixed(m.timings().best()), Report.fixed(m.timings().median()), m.checksum());
            case Outcome.Failed f -> "FAILED: " + f.reason();
            case Outcome.Skipped s -> "skipped: " + s.reason();
        };
        progress.println("# " + workload + " on " + runner + ": " + text);
    }

    private static String baseName(Path p) {
        String n = p.getFileName().toString();
        return n.endsWith(".wasm") ? n.substring(0, n.length() - 5) : n;
    }

    private static long sizeOrZero(Path p) {
        try {
            return Files.size(p);
        } catch (IOException e) {
            return 0;
        }
    }
}
