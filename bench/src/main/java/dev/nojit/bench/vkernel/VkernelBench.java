package dev.nojit.bench.vkernel;

import dev.nojit.bench.HostInfo;
import dev.nojit.bundle.BundleReader;
import dev.nojit.bundle.VerifiedBundle;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

/**
 * The vkernel benchmark (bench/vkernel): builds a signed bundle of the WALI guests in
 * bench/vkernel-guests/*.c, runs each workload in fresh containers (warm-up runs first, so that
 * HotSpot has compiled the engine and the kernel), reads the figures the guests measured
 * with CLOCK_MONOTONIC, and prints one Markdown table: syscall overhead, fork, execve (cached
 * and uncached module; a 3 MB module through the hash gate), pipe throughput and container
 * start in this JVM. Exit status 1 when a
 * workload failed.
 */
public final class VkernelBench {
    private static final String HELLO_OUTPUT = "hello from nojit\n";
    private final Options options;
    private final PrintStream progress = System.err;
    private final List<Row> rows = new ArrayList<>();
    private final List<String> problems = new ArrayList<>();

    private VkernelBench(Options options) {
        this.options = options;
    }

    public static void main(String[] args) throws Exception {
        Options options;
        try {
            options = Options.parse(args);
        } catch (IllegalArgumentException e) {
            System.err.println("VkernelBench: " + e.getMessage());
            System.err.print(Options.USAGE);
            System.exit(2);
            return;
        }
        System.exit(new VkernelBench(options).run());
    }

    private int run() throws Exception {
        String loadBefore = HostInfo.loadAverage();
        BenchBundle bundle = BenchBundle.build(options.guests(), options.out());
        progress.println("# bundle: " + bundle.file() + ", public key " + bundle.publicKeyFile());
        try (VerifiedBundle verified = BundleReader.open(bundle.file(), bundle.publicKey())) {
            ContainerRunner runner = new ContainerRunner(verified);
            if (options.runs("getpid")) attempt("getpid", () -> getpid(runner));
            if (options.runs("fork")) for (int mib : options.forkMib()) attempt("fork " + mib + " MiB", () -> fork(runner, mib));
            if (options.runs("exec")) {
                attempt("exec cached", () -> execCached(runner));
                attempt("exec uncached", () -> execUncached(runner));
            }
            if (options.runs("execbig")) attempt("execbig", () -> execBig(runner));
            if (options.runs("pipe")) attempt("pipe", () -> pipe(runner));
            if (options.runs("start")) attempt("start", () -> start(runner));
        }
        PrintStream out = System.out;
        out.println();
        out.println("==== nojit vkernel benchmark ====");
        out.println("machine: " + HostInfo.describe());
        out.printf(Locale.ROOT, "load average (1, 5, 15 min): %s before, %s after; other busy processes skew the figures%n",
                loadBefore, HostInfo.loadAverage());
        out.printf(Locale.ROOT, "runs: %d warm-up + %d measured containers per workload (uncached exec: %d measured, "
                + "start: %d); guests time themselves with CLOCK_MONOTONIC%n",
                options.warmup(), options.reps(), options.uncachedReps(), options.startReps());
        out.println();
        if (!rows.isEmpty()) out.println(Report.table(rows));
        out.println();
        problems.forEach(p -> out.println("PROBLEM: " + p));
        return problems.isEmpty() ? 0 : 1;
    }

    /** Runs one workload; a failure becomes a PROBLEM line and the others still run. */
    private void attempt(String name, Supplier<List<Row>> workload) {
        try {
            List<Row> measured = workload.get();
            for (Row r : measured) {
                progress.printf(Locale.ROOT, "# %s: %s %s median%n", r.measure(), Report.fixed(r.sample().median()), r.unit());
            }
            rows.addAll(measured);
        } catch (RuntimeException e) {
            problems.add(name + ": " + e);
            progress.println("# " + name + " FAILED: " + e);
        }
    }

    /** Warm-up runs (discarded), then the measured runs' figures. */
    private List<GuestFigures> repeat(int measured, Supplier<String> run) {
        List<GuestFigures> figures = new ArrayList<>();
        for (int i = 0; i < options.warmup() + measured; i++) {
            GuestFigures f = GuestFigures.parse(run.get());
            if (i >= options.warmup()) figures.add(f);
        }
        return figures;
    }

    private List<Row> getpid(ContainerRunner runner) {
        List<Double> syscall = new ArrayList<>(), raw = new ArrayList<>(), loop = new ArrayList<>(), clock = new ArrayList<>();
        for (GuestFigures f : repeat(options.reps(), () -> runner.run("/bin/getpid", Long.toString(options.getpidCalls())))) {
            double calls = f.one("calls");
            raw.add(f.one("getpid_ns") / calls);
            loop.add(f.one("baseline_ns") / calls);
            syscall.add((f.one("getpid_ns") - f.one("baseline_ns")) / calls);
            clock.add((double) f.one("clock_ns") / f.one("clock_calls"));
        }
        String per = String.format(Locale.ROOT, "%,d calls in one process", options.getpidCalls());
        return List.of(
                new Row("getpid: syscall overhead (loop with the syscall minus the loop without)", "ns/call", Sample.lowest(syscall), per),
                new Row("getpid: loop with SYS_getpid", "ns/call", Sample.lowest(raw), per),
                new Row("getpid: the same loop calling a guest function instead", "ns/call", Sample.lowest(loop), per),
                new Row("clock_gettime(CLOCK_MONOTONIC) (a syscall that writes guest memory)", "ns/call", Sample.lowest(clock),
                        String.format(Locale.ROOT, "%,d calls", options.getpidCalls() / 10)));
    }

    private List<Row> fork(ContainerRunner runner, int mib) {
        List<Double> call = new ArrayList<>(), roundTrip = new ArrayList<>();
        long memory = 0;
        for (GuestFigures f : repeat(options.reps(), () -> runner.run("/bin/fork", Integer.toString(options.forkRounds()), Integer.toString(mib)))) {
            memory = f.one("memory_bytes");
            for (long ns : f.all("fork_call_ns")) call.add(ns / 1e3);
            for (long ns : f.all("fork_wait_ns")) roundTrip.add(ns / 1e3);
        }
        if (memory < (long) mib << 20) throw new IllegalStateException("the forking process had only " + memory + " bytes of memory");
        String per = "one fork; " + options.forkRounds() + " per process";
        return List.of(
                new Row("fork, " + mib + " MiB process: fork() until it returns in the parent", "us", Sample.lowest(call), per),
                new Row("fork, " + mib + " MiB process: fork + child exit_group + parent wait4", "us", Sample.lowest(roundTrip), per));
    }

    private List<Row> execCached(ContainerRunner runner) {
        List<Double> perExec = new ArrayList<>();
        for (GuestFigures f : repeat(options.reps(), () -> runner.run("/bin/exec", "chain", Integer.toString(options.execChain())))) {
            if (f.one("execs") != options.execChain()) throw new IllegalStateException("the chain made " + f.one("execs") + " execs");
            perExec.add(f.one("exec_total_ns") / 1e3 / f.one("execs"));
        }
        return List.of(new Row("execve, cached module (a process execs itself)", "us", Sample.lowest(perExec),
                "mean of a chain of " + options.execChain() + " execs"));
    }

    private List<Row> execUncached(ContainerRunner runner) {
        List<Double> exec = new ArrayList<>();
        for (GuestFigures f : repeat(options.uncachedReps(), () -> runner.run("/bin/exec", "to", "/bin/exec-target"))) {
            exec.add(f.one("exec_ns") / 1e3);
        }
        return List.of(new Row("execve, uncached module (its first exec in a fresh container)", "us", Sample.lowest(exec),
                "one exec, one container"));
    }

    /**
     * execve through the hash gate (bench/vkernel-guests/execbig.c): the 3 MB module /bin/big as
     * the image file (hash signed), as a fresh copy in the writable layer (hashed at exec: cold)
     * and as the same copy again (cached); the same program without its data (/bin/small) as the
     * image file and cold, for comparison. Each container first execs its target once untimed
     * (the module's image is then loaded), so the modes differ only in what the gate does.
     */
    private List<Row> execBig(ContainerRunner runner) {
        List<Row> rows = new ArrayList<>();
        String per = String.format(Locale.ROOT, "one exec; %d per container", options.bigRounds());
        for (String module : List.of("big", "small")) {
            String label = module.equals("big") ? "3 MB module" : "2 KB module (wali-big.c without its data)";
            String target = "/bin/" + module;
            List<Double> first = new ArrayList<>(), image = new ArrayList<>();
            for (GuestFigures f : repeat(options.reps(), () -> runner.run("/bin/execbig", "image", target, Integer.toString(options.bigRounds())))) {
                first.add(f.one("warmup_exec_ns") / 1e3);
                for (long ns : f.all("exec_ns")) image.add(ns / 1e3);
            }
            List<Double> cold = new ArrayList<>(), copy = new ArrayList<>();
            for (GuestFigures f : repeat(options.reps(), () -> runner.run("/bin/execbig", "cold", target, Integer.toString(options.bigRounds())))) {
                for (long ns : f.all("exec_ns")) cold.add(ns / 1e3);
                for (long ns : f.all("copy_ns")) copy.add(ns / 1e3);
            }
            rows.add(new Row("execve, " + label + ": first exec in a fresh container (image loaded from the bundle)", "us",
                    Sample.lowest(first), "one exec, one container"));
            rows.add(new Row("execve, " + label + ": the image file (hash signed in the manifest)", "us", Sample.lowest(image), per));
            rows.add(new Row("execve, " + label + ": a fresh copy in the writable layer (cold: never hashed)", "us", Sample.lowest(cold), per));
            rows.add(new Row("copy of the " + label + " into the writable layer (before the cold exec, not part of it)", "us",
                    Sample.lowest(copy), "64 KiB reads and writes"));
            if (module.equals("big")) {
                List<Double> cached = new ArrayList<>();
                for (GuestFigures f : repeat(options.reps(), () -> runner.run("/bin/execbig", "cached", target, Integer.toString(options.bigRounds())))) {
                    for (long ns : f.all("exec_ns")) cached.add(ns / 1e3);
                }
                rows.add(new Row("execve, " + label + ": that copy again, unchanged since its last exec (cached hash)", "us",
                        Sample.lowest(cached), per));
            }
        }
        return rows;
    }

    private List<Row> pipe(ContainerRunner runner) {
        List<Double> rate = new ArrayList<>();
        for (GuestFigures f : repeat(options.reps(), () -> runner.run("/bin/pipe", Integer.toString(options.pipeMib()), Integer.toString(options.pipeKib())))) {
            rate.add(f.one("pipe_bytes") / (double) (1 << 20) / (f.one("pipe_ns") / 1e9));
        }
        return List.of(new Row("pipe throughput, " + options.pipeKib() + " KiB writes and reads, two processes", "MiB/s",
                Sample.highest(rate), options.pipeMib() + " MiB"));
    }

    private List<Row> start(ContainerRunner runner) {
        List<Double> millis = new ArrayList<>();
        for (int i = 0; i < options.warmup() + options.startReps(); i++) {
            long t0 = System.nanoTime();
            String out = runner.run("/bin/hello");
            long t1 = System.nanoTime();
            if (!out.equals(HELLO_OUTPUT)) throw new IllegalStateException("/bin/hello printed " + out.strip());
            if (i >= options.warmup()) millis.add((t1 - t0) / 1e6);
        }
        return List.of(new Row("container start in this JVM: Container.create + run /bin/hello + exit", "ms",
                Sample.lowest(millis), "one container, bundle already verified"));
    }
}
