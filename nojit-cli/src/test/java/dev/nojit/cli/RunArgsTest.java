package dev.nojit.cli;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

import java.util.List;
import java.util.Optional;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link RunArgs}, the start path's reader of {@code nojit run} lines, against picocli itself: a line it
 * reads must give the command picocli gives, field by field; a line it declines goes to picocli.
 */
class RunArgsTest {
    /** Lines the start path must read itself (the common forms). */
    private static final List<List<String>> READ = List.of(
            List.of("run", "app.nojit", "--pubkey", "k.pub", "--", "/bin/hello"),
            List.of("run", "app.nojit", "/bin/hello", "--pubkey", "k.pub"),
            List.of("run", "--pubkey=k.pub", "app.nojit", "/bin/sh", "--", "-c", "echo --pubkey x; exit 3", "--help"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "--mount", "/data=/tmp/d:ro", "--mount=/w=/tmp/w", "--env", "A=1",
                    "--env=B=x=y", "--workdir", "/w", "--timeout", "30s", "--host-lockdown", "off", "--host-jit=off", "--single-jvm",
                    "--attest-key", "a.key", "--attestation", "att.json", "--audit-log", "log.jsonl", "--audit-budget", "1m,100",
                    "--", "/bin/ls", "-l", "/"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "--host-lockdown", "strict", "/bin/echo", "a", "b", "--", "--", "c"));

    /** Lines it must leave to picocli (help, errors, what picocli reads its own way). */
    private static final List<List<String>> DECLINED = List.of(
            List.of("run", "--help"),
            List.of("run", "-h"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "/bin/x", "--version"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "/bin/ls", "-l"),
            List.of("run", "app.nojit", "/bin/x"),
            List.of("run", "app.nojit", "--pubkey", "k.pub"),
            List.of("run", "app.nojit", "--pubkey"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "--pubkey", "l.pub", "/bin/x"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "--host-lockdown", "STRICT", "/bin/x"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "--host-jit", "maybe", "/bin/x"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "--single-jvm", "--single-jvm", "/bin/x"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "--single-jvm=true", "/bin/x"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "--workdir", "--timeout", "/bin/x"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "--env=", "/bin/x"),
            List.of("run", "@args.txt"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "--", "/bin/echo", "@x"),
            List.of("run", "app.nojit", "--pubkey", "@k", "/bin/x"),
            List.of("run", "app\0.nojit", "--pubkey", "k.pub", "/bin/x"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "--pubky", "x", "/bin/x"),
            List.of("run", "app.nojit", "--pubkey", "k.pub", "-", "/bin/x"),
            List.of("build", "--key", "k", "--out", "a.nojit"),
            List.of());

    @Test
    void readsTheCommonFormsAsPicocliDoes() {
        for (List<String> line : READ) {
            Optional<RunCommand> fast = RunArgs.parse(line);
            assertThat(fast).as("%s", line).isPresent();
            assertSame(line, fast.get(), picocli(line));
        }
    }

    @Test
    void leavesEverythingElseToPicocli() {
        for (List<String> line : DECLINED) assertThat(RunArgs.parse(line)).as("%s", line).isEmpty();
    }

    private static RunCommand picocli(List<String> line) {
        CommandLine cli = new CommandLine(new Nojit());
        cli.addSubcommand(RunCommand.class);
        cli.setCaseInsensitiveEnumValuesAllowed(false);
        CommandLine.ParseResult parsed = cli.parseArgs(line.toArray(String[]::new));
        RunCommand c = (RunCommand) parsed.subcommand().commandSpec().userObject();
        c.originalArgs = parsed.subcommand().originalArgs();
        return c;
    }

    private static void assertSame(List<String> line, RunCommand fast, RunCommand pico) {
        String as = String.join(" ", line);
        assertThat(fast.bundle).as(as).isEqualTo(pico.bundle);
        assertThat(fast.path).as(as).isEqualTo(pico.path);
        assertThat(fast.args).as(as).isEqualTo(pico.args);
        assertThat(fast.pubkey).as(as).isEqualTo(pico.pubkey);
        assertThat(fast.mounts).as(as).isEqualTo(pico.mounts);
        assertThat(fast.env).as(as).isEqualTo(pico.env);
        assertThat(fast.workdir).as(as).isEqualTo(pico.workdir);
        assertThat(fast.timeout).as(as).isEqualTo(pico.timeout);
        assertThat(fast.hostLockdown).as(as).isEqualTo(pico.hostLockdown);
        assertThat(fast.hostJit).as(as).isEqualTo(pico.hostJit);
        assertThat(fast.singleJvm).as(as).isEqualTo(pico.singleJvm);
        assertThat(fast.attestKey).as(as).isEqualTo(pico.attestKey);
        assertThat(fast.attestation).as(as).isEqualTo(pico.attestation);
        assertThat(fast.auditLog).as(as).isEqualTo(pico.auditLog);
        assertThat(fast.auditBudget).as(as).isEqualTo(pico.auditBudget);
        // The restarted shim (ShimJvm.restart) is given this line again.
        assertThat(fast.originalArgs).as(as).isEqualTo(pico.originalArgs);
    }
}
