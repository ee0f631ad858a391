package dev.nojit.bench.engine;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** The command line of {@link EngineBench}; bench/engine passes it on. */
record Options(Path workloads, int warmup, int reps, boolean chicory, List<String> only, List<Path> load,
               List<Path> programs, int loadReps, Path refs, boolean aot, boolean xint, int xintWarmup, int xintReps) {

    static final String USAGE = """
            usage: EngineBench --workloads DIR [--reps N] [--warmup N] [--no-chicory] [--only NAME]...
                               [--load FILE.wasm]... [--program FILE.wasm]... [--load-reps N] [--refs DIR]
                               [--no-aot] [--no-xint] [--xint-reps N] [--xint-warmup N]
              --workloads DIR   NAME.wasm (exports long long run(void)) and the native NAME beside it
              --reps N          measured runs per workload and runner (default 3)
              --warmup N        unmeasured runs before them (default 1)
              --no-chicory      skip Chicory's interpreter (the slow oracle)
              --only NAME       only this workload (repeatable)
              --load FILE       also time compiling and loading this module (repeatable)
              --program FILE    a program to run too if it needs no imports, else say why not (repeatable)
              --load-reps N     measured deserializations per module (default 20)
              --refs DIR        also run the reference interpreters built by bench/refs/build.sh there
                                (wamr-run, wasm3-run; their commits from DIR/sources)
              --no-aot          skip both nojit AOT columns
              --no-xint         skip the AOT column with the host JIT off (a child JVM with -Xint)
              --xint-reps N     measured runs of that column (default 1: the JVM's bytecode interpreter is slow)
              --xint-warmup N   unmeasured runs before them (default 0)
            """;

    static Options parse(String[] args) {
        Path workloads = null;
        int warmup = 1;
        int reps = 3;
        int loadReps = 20;
        boolean chicory = true;
        List<String> only = new ArrayList<>();
        List<Path> load = new ArrayList<>();
        List<Path> programs = new ArrayList<>();
        Path refs = null;
        boolean aot = true;
        boolean xint = true;
        int xintWarmup = 0;
        int xintReps = 1;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--workloads" -> workloads = Path.of(value(args, ++i, a));
                case "--reps" -> reps = positive(value(args, ++i, a), a, 1);
                case "--warmup" -> warmup = positive(value(args, ++i, a), a, 0);
                case "--load-reps" -> loadReps = positive(value(args, ++i, a), a, 1);
                case "--no-chicory" -> chicory = false;
                case "--only" -> only.add(value(args, ++i, a));
                case "--load" -> load.add(Path.of(value(args, ++i, a)));
                case "--program" -> programs.add(Path.of(value(args, ++i, a)));
                case "--refs" -> refs = Path.of(value(args, ++i, a));
                case "--no-aot" -> aot = false;
                case "--no-xint" -> xint = false;
                case "--xint-reps" -> xintReps = positive(value(args, ++i, a), a, 1);
                case "--xint-warmup" -> xintWarmup = positive(value(args, ++i, a), a, 0);
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (workloads == null) throw new IllegalArgumentException("--workloads DIR is required");
        return new Options(workloads, warmup, reps, chicory, List.copyOf(only), List.copyOf(load), List.copyOf(programs), loadReps, refs,
                aot, aot && xint, xintWarmup, xintReps);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    private static int positive(String text, String option, int min) {
        try {
            int n = Integer.parseInt(text);
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(option + " needs an integer >= " + min + ", not " + text);
    }
}
