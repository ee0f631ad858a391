package dev.nojit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The start path's parser of a plain {@code nojit run} command line, without picocli. Building
 * picocli's model (reflection over the annotations, its classes too old for the JDK's AOT cache)
 * cost about 100 ms of every start; this reads the common form of the line into a {@link RunCommand}
 * exactly as picocli would and declines everything else, which then goes to picocli as before: help
 * and version options, an unknown or repeated option, a missing or invalid value, a value that looks
 * like an option, {@code @file} arguments, a missing operand. So errors and help are picocli's, word for
 * word, and a line read here means what picocli would make of it ({@code RunArgsTest} compares both).
 */
final class RunArgs {
    private RunArgs() {}

    /** {@code run ARGS...} read into a command, or empty when picocli must read it. */
    static Optional<RunCommand> parse(List<String> line) {
        if (line.isEmpty() || !line.getFirst().equals(RunCommand.NAME)) return Optional.empty();
        RunCommand c = new RunCommand();
        List<String> positional = new java.util.ArrayList<>();
        java.util.Set<String> seen = new java.util.HashSet<>();
        boolean endOfOptions = false;
        try {
            for (int i = 1; i < line.size(); i++) {
                String a = line.get(i);
                if (a.startsWith("@")) return Optional.empty(); // picocli expands @files anywhere on the line
                if (endOfOptions || !a.startsWith("-")) {
                    positional.add(a);
                    continue;
                }
                if (a.equals("--")) {
                    endOfOptions = true;
                    continue;
                }
                if (a.equals("--single-jvm")) {
                    if (!seen.add(a)) return Optional.empty();
                    c.singleJvm = true;
                    continue;
                }
                String name = a;
                String value;
                int eq = a.indexOf('=');
                if (eq > 0) {
                    name = a.substring(0, eq);
                    value = a.substring(eq + 1);
                } else {
                    if (i + 1 >= line.size()) return Optional.empty();
                    value = line.get(++i);
                }
                if (value.isEmpty() || value.startsWith("-") || value.startsWith("@")) return Optional.empty();
                boolean repeatable = name.equals("--mount") || name.equals("--env");
                if (!repeatable && !seen.add(name)) return Optional.empty();
                switch (name) {
                    case "--pubkey" -> c.pubkey = Path.of(value);
                    case "--mount" -> c.mounts.add(value);
                    case "--env" -> c.env.add(value);
                    case "--workdir" -> c.workdir = value;
                    case "--timeout" -> c.timeout = value;
                    case "--host-lockdown" -> c.hostLockdown = RunCommand.Lockdown.valueOf(value);
                    case "--host-jit" -> c.hostJit = RunCommand.OnOff.valueOf(value);
                    case "--attest-key" -> c.attestKey = Path.of(value);
                    case "--attestation" -> c.attestation = Path.of(value);
                    case "--audit-log" -> c.auditLog = Path.of(value);
                    case "--audit-budget" -> c.auditBudget = value;
                    default -> {
                        return Optional.empty(); // -h, --help, -V, --version, an unknown option
                    }
                }
            }
            if (c.pubkey == null || positional.size() < 2) return Optional.empty();
            c.bundle = Path.of(positional.get(0));
            c.path = positional.get(1);
            c.args.addAll(positional.subList(2, positional.size()));
        } catch (IllegalArgumentException e) { // an enum value or a path (InvalidPathException) picocli would refuse
            return Optional.empty();
        }
        if (c.hostLockdown == null) c.hostLockdown = RunCommand.Lockdown.strict;
        if (c.hostJit == null) c.hostJit = RunCommand.OnOff.on;
        c.originalArgs = List.copyOf(line);
        return Optional.of(c);
    }
}
