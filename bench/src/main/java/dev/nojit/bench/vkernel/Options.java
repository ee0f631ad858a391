package dev.nojit.bench.vkernel;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** The command line of {@link VkernelBench}; bench/vkernel passes it on. */
record Options(Path guests, Path out, int warmup, int reps, long getpidCalls, int forkRounds, List<Integer> forkMib,
               int execChain, int uncachedReps, int bigRounds, int pipeMib, int pipeKib, int startReps, List<String> only) {

    static final List<String> WORKLOADS = List.of("getpid", "fork", "exec", "execbig", "pipe", "start");

    static final String USAGE = """
            usage: VkernelBench --guests DIR --out DIR [--reps N] [--warmup N] [--only NAME]...
                               [--getpid-calls N] [--fork-rounds N] [--fork-mib N[,N...]] [--exec-chain N]
                               [--uncached-reps N] [--big-rounds N] [--pipe-mib N] [--pipe-kib N] [--start-reps N]
              --guests DIR        getpid.wasm, fork.wasm, exec.wasm, exec-target.wasm, execbig.wasm, big.wasm,
                                  small.wasm, pipe.wasm, hello.wasm
              --out DIR           where the signed bundle (app.nojit) and its key (app.key, app.pub) go
              --reps N            measured containers per workload (default 5)
              --warmup N          unmeasured containers before them (default 2)
              --only NAME         getpid, fork, exec, execbig, pipe or start (repeatable; default all)
              --getpid-calls N    syscalls per getpid run (default 1000000)
              --fork-rounds N     forks per fork run (default 20)
              --fork-mib LIST     linear memory of the forking process, MiB (default 8,64)
              --exec-chain N      execs of itself per cached-exec run (default 100)
              --uncached-reps N   fresh containers for the uncached exec (default 20)
              --big-rounds N      timed execs per execbig container, 1 to 200 (default 20)
              --pipe-mib N        MiB through the pipe per run (default 256)
              --pipe-kib N        bytes per write and read, KiB (default 64)
              --start-reps N      containers started for /bin/hello (default 20)
            """;

    boolean runs(String workload) {
        return only.isEmpty() || only.contains(workload);
    }

    static Options parse(String[] args) {
        Path guests = null, out = null;
        int warmup = 2, reps = 5, forkRounds = 20, execChain = 100, uncachedReps = 20, bigRounds = 20, pipeMib = 256, pipeKib = 64, startReps = 20;
        long getpidCalls = 1_000_000;
        List<Integer> forkMib = List.of(8, 64);
        List<String> only = new ArrayList<>();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--guests" -> guests = Path.of(value(args, ++i, a));
                case "--out" -> out = Path.of(value(args, ++i, a));
                case "--warmup" -> warmup = atLeast(value(args, ++i, a), a, 0);
                case "--reps" -> reps = atLeast(value(args, ++i, a), a, 1);
                case "--getpid-calls" -> getpidCalls = atLeast(value(args, ++i, a), a, 1);
                case "--fork-rounds" -> forkRounds = atMost(atLeast(value(args, ++i, a), a, 1), a, 1000);
                case "--fork-mib" -> forkMib = mibList(value(args, ++i, a), a);
                case "--exec-chain" -> execChain = atLeast(value(args, ++i, a), a, 1);
                case "--uncached-reps" -> uncachedReps = atLeast(value(args, ++i, a), a, 1);
                case "--big-rounds" -> bigRounds = atMost(atLeast(value(args, ++i, a), a, 1), a, 200);
                case "--pipe-mib" -> pipeMib = atLeast(value(args, ++i, a), a, 1);
                case "--pipe-kib" -> pipeKib = atMost(atLeast(value(args, ++i, a), a, 1), a, 1024);
                case "--start-reps" -> startReps = atLeast(value(args, ++i, a), a, 1);
                case "--only" -> {
                    String w = value(args, ++i, a);
                    if (!WORKLOADS.contains(w)) throw new IllegalArgumentException("--only " + w + ": expected one of " + WORKLOADS);
                    only.add(w);
                }
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        if (guests == null) throw new IllegalArgumentException("--guests DIR is required");
        if (out == null) throw new IllegalArgumentException("--out DIR is required");
        return new Options(guests, out, warmup, reps, getpidCalls, forkRounds, forkMib, execChain, uncachedReps, bigRounds,
                pipeMib, pipeKib, startReps, List.copyOf(Set.copyOf(only).stream().sorted().toList()));
    }

    private static List<Integer> mibList(String text, String option) {
        List<Integer> list = new ArrayList<>();
        for (String part : text.split(",")) list.add(atMost(atLeast(part.strip(), option, 1), option, 1024));
        return List.copyOf(list);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) throw new IllegalArgumentException(option + " needs a value");
        return args[i];
    }

    private static int atLeast(String text, String option, int min) {
        try {
            int n = Integer.parseInt(text);
            if (n >= min) return n;
        } catch (NumberFormatException e) {
            // fall through to the message below
        }
        throw new IllegalArgumentException(option + " needs an integer >= " + min + ", not " + text);
    }

    private static int atMost(int n, String option, int max) {
        if (n > max) throw new IllegalArgumentException(option + " needs an integer <= " + max + ", not " + n);
        return n;
    }
}
