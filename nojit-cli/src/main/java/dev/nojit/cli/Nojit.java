package dev.nojit.cli;

import dev.nojit.bundle.BundleException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.IOException;
import java.io.PrintWriter;
import java.util.List;

/**
 * Entry point of the {@code nojit} command. Every failure reaches the user as one line
 * naming the problem and a documented exit code ({@link ExitCodes}); a stack trace only
 * when {@code NOJIT_DEBUG=1}.
 */
@Command(name = "nojit", mixinStandardHelpOptions = true, versionProvider = Nojit.VersionProvider.class,
        description = "Runs signed, recompiled WebAssembly containers under a strict no-JIT policy.")
public final class Nojit implements Runnable {
    /**
     * The subcommands, in the order help lists them (then {@code help}). picocli builds a command's
     * model by reflection when it is added, and its classes are too old for the AOT cache: a command
     * line that names one of these gets only that one, which keeps {@code nojit run}'s start short.
     */
    static final List<Class<?>> COMMANDS = List.of(KeygenCommand.class, BuildCommand.class, VerifyCommand.class, InspectCommand.class,
            RunCommand.class, SimulateCommand.class, DemoCommand.class, AuditCommand.class, AttestCommand.class, AotCacheCommand.class);

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "a command is required");
    }

    public static void main(String[] args) {
        StartupTrace.mark("shim", "main");
        // While this thread reads the command line, queries Landlock (its first native downcall sets up the FFM
        // linker) and starts the vkernel: first the process reaper the confined spawn needs (a trivial process
        // started and reaped, mostly waiting), then what verifying the bundle needs next, then the audit wire,
        // which the relay decodes once the vkernel reports.
        if (args.length > 0 && args[0].equals(RunCommand.NAME)) {
            Warmup.inBackground("nojit-warmup", dev.nojit.host.spawn.ConfinedSpawner::prepare, Warmup::bundleCheck, Warmup::auditWire);
        }
        System.exit(execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true), args));
    }

    /** Runs one command line with the given streams and returns its exit code (tests call this). */
    public static int execute(PrintWriter out, PrintWriter err, String... args) {
        // A plain `nojit run` line is read without picocli's model (RunArgs); anything else is picocli's.
        var run = RunArgs.parse(List.of(args));
        if (run.isPresent()) return runParsed(run.get(), out, err);
        CommandLine cli = new CommandLine(new Nojit());
        StartupTrace.mark("shim", "picocli-top");
        String first = args.length > 0 ? args[0] : "";
        List<Class<?>> named = COMMANDS.stream().filter(c -> c.getAnnotation(Command.class).name().equals(first)).toList();
        if (named.isEmpty()) {
            COMMANDS.forEach(cli::addSubcommand);
            cli.addSubcommand(CommandLine.HelpCommand.class);
        } else {
            cli.addSubcommand(named.getFirst());
        }
        StartupTrace.mark("shim", "picocli-sub");
        cli.setOut(out);
        cli.setErr(err);
        cli.setCaseInsensitiveEnumValuesAllowed(false);
        cli.setParameterExceptionHandler((ex, argv) -> {
            CommandLine cmd = ex.getCommandLine();
            cmd.getErr().println("nojit: " + oneLine(ex.getMessage()));
            cmd.getErr().println("Try '" + cmd.getCommandSpec().qualifiedName() + " --help'.");
            cmd.getErr().flush();
            return RunCommand.NAME.equals(cmd.getCommandName()) ? RunCommand.NOJIT_FAILED : ExitCodes.USAGE;
        });
        cli.setExecutionExceptionHandler((ex, cmd, parsed) -> failed(ex, cmd.getCommandName(), cmd.getErr()));
        int code = cli.execute(args);
        out.flush();
        err.flush();
        return code;
    }

    /** Runs a {@code nojit run} that {@link RunArgs} read, with picocli's exit codes and error lines. */
    private static int runParsed(RunCommand run, PrintWriter out, PrintWriter err) {
        run.err = err;
        int code;
        try {
            code = run.call();
        } catch (Exception ex) {
            code = failed(ex, RunCommand.NAME, err);
        }
        out.flush();
        err.flush();
        return code;
    }

    /** A command that threw: one line naming the problem, and the documented exit code ({@link ExitCodes}). */
    static int failed(Exception ex, String command, PrintWriter err) {
        int code;
        String message;
        switch (ex) {
            case UsageException u -> {
                code = ExitCodes.USAGE;
                message = u.getMessage();
            }
            case dev.nojit.bundle.BundleBuilder.EngineRefused r -> { // an --engine value the build cannot give
                code = ExitCodes.USAGE;
                message = r.getMessage();
            }
            case AotTranslatorJvm.AotUnavailable a -> {
                code = ExitCodes.CHECK_FAILED;
                message = a.getMessage();
            }
            case BundleException b -> {
                code = ExitCodes.CHECK_FAILED;
                message = b.getMessage();
            }
            case IOException io -> {
                code = ExitCodes.CHECK_FAILED;
                message = describe(io);
            }
            default -> {
                code = ExitCodes.CHECK_FAILED;
                message = "internal error: " + ex.getClass().getSimpleName() + ": " + ex.getMessage();
            }
        }
        if (RunCommand.NAME.equals(command)) code = RunCommand.NOJIT_FAILED;
        err.println("nojit " + command + ": " + oneLine(message));
        if ("1".equals(System.getenv("NOJIT_DEBUG"))) ex.printStackTrace(err);
        err.flush();
        return code;
    }

    private static String describe(IOException e) {
        return switch (e) {
            case java.nio.file.NoSuchFileException n -> "no such file: " + n.getFile();
            case java.nio.file.AccessDeniedException a -> "permission denied: " + a.getFile();
            case java.nio.file.FileAlreadyExistsException f -> "already exists: " + f.getFile();
            default -> e.getClass().getSimpleName() + ": " + e.getMessage();
        };
    }

    static String oneLine(String s) {
        return s == null ? "" : s.replaceAll("[\\r\\n]+", " ").strip();
    }

    static final class VersionProvider implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"nojit " + Version.get()};
        }
    }
}
