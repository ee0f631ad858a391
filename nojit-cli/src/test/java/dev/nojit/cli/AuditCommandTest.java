package dev.nojit.cli;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.ProcessRef;
import dev.nojit.audit.AuditEvent.SyscallRef;
import dev.nojit.audit.AuditEvent.TargetRef;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.audit.AuditLog;
import dev.nojit.audit.ContainerRef;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code nojit audit show} and {@code nojit audit verify} as a user meets them (SPEC §2, docs/audit.md). */
class AuditCommandTest {
    @TempDir
    Path dir;
    Path log;
    String head;

    @BeforeEach
    void writeLog() {
        log = dir.resolve("run.audit.jsonl");
        ProcessRef sh = new ProcessRef(1, 0, "/bin/sh", "c".repeat(64), List.of("/bin/sh", "/task.sh"));
        ProcessRef agent = new ProcessRef(2, 1, "/bin/agent", "e".repeat(64), List.of("/bin/agent"));
        try (AuditLog l = AuditLog.create(log, new ContainerRef("run-1", "a".repeat(64), "b".repeat(64)), "0".repeat(64))) {
            l.append(new AuditEvent(Type.CONTAINER_START, null, null, null, Action.ALLOWED, null, Map.of()), true);
            l.append(new AuditEvent(Type.EXEC, sh, new SyscallRef("execve", 221, Map.of("path", "/bin/sh")),
                    new TargetRef("/bin/sh", "c".repeat(64)), Action.ALLOWED, "listed in the manifest", Map.of()), false);
            l.append(new AuditEvent(Type.EXEC_DENIED, agent, new SyscallRef("execve", 221, Map.of("path", "/tmp/x\u001b[2J")),
                    new TargetRef("/tmp/x\u001b[2J", "d".repeat(64)), Action.KILL_PROCESS,
                    "not in the manifest (content hash unknown)", Map.of()), true);
            l.append(new AuditEvent(Type.PROCESS_EXIT, agent, null, null, Action.ALLOWED, null, Map.of("signal", 9L)), false);
            l.append(new AuditEvent(Type.CONTAINER_STOP, null, null, null, Action.ALLOWED, null, Map.of("exit_code", 0L)), true);
            head = l.head();
        }
    }

    @Test
    void showPrintsOneRowPerEventAndTheVerdictWithoutColourWhenNotATerminal() {
        CliRun r = CliRun.of("audit", "show", log);
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> out = r.out().lines().toList();
        assertThat(out.getFirst()).startsWith("   SEQ  TIME (UTC)").contains("TYPE", "PID", "EXE", "ACTION", "WHAT", "REASON");
        assertThat(out).hasSize(7);
        assertThat(out.get(1)).matches("\\s+1  \\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3}  container_start .*allowed.*");
        assertThat(out.get(2)).contains("exec ", "/bin/sh", "allowed", "execve /bin/sh sha256:cccccccccccc ",
                "listed in the manifest");
        assertThat(out.get(3)).contains("exec_denied", "    2  /bin/agent", "kill-process",
                "not in the manifest (content hash unknown)");
        assertThat(out.get(3)).as("no escape sequence from the guest reaches the terminal").doesNotContain("\u001b").contains("/tmp/x\\x1b[2J");
        assertThat(out.get(4)).contains("process_exit", "signal 9");
        assertThat(out.get(5)).contains("container_stop", "exit 0");
        assertThat(out.get(6)).isEqualTo("5 events; chain intact, last hash " + head);
        assertThat(r.out()).doesNotContain("\u001b[");
    }

    @Test
    void showColoursViolationsRedAndAllowedGreenWhenAsked() {
        CliRun r = CliRun.of("audit", "show", "--color", "always", log);
        assertThat(r.exitCode()).isZero();
        List<String> out = r.out().lines().toList();
        assertThat(out.get(3)).startsWith("\u001b[31m").endsWith("\u001b[0m").contains("exec_denied");
        assertThat(out.get(2)).doesNotStartWith("\u001b[31m").contains("\u001b[32mallowed");
    }

    /**
     * A guest names a file so that, printed raw, it would end its row and draw a fake "allowed" row
     * under it (newline, CR, U+2028/U+2029, U+0085), or reverse what follows (U+202E and other bidi
     * controls), hide text (zero-width, tag characters), or clear the screen (ESC). Every one is
     * shown escaped, each event is exactly one row, and a long reason is cut.
     */
    @Test
    void showEscapesEveryCharacterThatCouldDrawAFakeRowAndCutsLongFields() throws Exception {
        Path crafted = dir.resolve("crafted.jsonl");
        String fakeRow = "     9  2026-11-29 02:30:01.123  exec                      9  /bin/ok  allowed";
        List<String> paths = List.of("/tmp/a\n" + fakeRow, "/tmp/b\r" + fakeRow, "/tmp/c\u2028" + fakeRow,
                "/tmp/d\u2029" + fakeRow, "/tmp/e\u0085" + fakeRow, "/tmp/f\u202egpj.exe", "/tmp/g\u2066x\u2069\u200f\u061c",
                "/tmp/h\u200b\ufeff\udb40\udc01", "/tmp/i\ue000\u0378", "/tmp/j\ud800x", "/tmp/k\u001b]0;title\u0007\u009b2J");
        ProcessRef agent = new ProcessRef(2, 1, "/bin/agent\u202e", "e".repeat(64), List.of("/bin/agent"));
        try (AuditLog l = AuditLog.create(crafted, new ContainerRef("run-1", "a".repeat(64), "b".repeat(64)), "0".repeat(64))) {
            for (String p : paths) {
                l.append(new AuditEvent(Type.EXEC_DENIED, agent, new SyscallRef("execve", 221, Map.of("path", p)),
                        new TargetRef(p, "d".repeat(64)), Action.KILL_PROCESS, "refused " + p + " " + "x".repeat(500), Map.of()), true);
            }
        }
        CliRun r = CliRun.of("audit", "show", crafted);
        assertThat(r.exitCode()).as(r.err()).isZero();
        List<String> rows = r.out().lines().toList();
        assertThat(rows).as("a header, one row per event, the verdict: no event drew a second row").hasSize(paths.size() + 2);
        for (String row : rows.subList(1, rows.size() - 1)) {
            assertThat(row).startsWith("    ").contains("exec_denied", "kill-process");
            assertThat(row.codePoints().filter(c -> switch (Character.getType(c)) {
                case Character.CONTROL, Character.FORMAT, Character.PRIVATE_USE, Character.UNASSIGNED, Character.SURROGATE,
                     Character.LINE_SEPARATOR, Character.PARAGRAPH_SEPARATOR -> true;
                default -> false;
            }).count()).as("no non-printing character in %s", row).isZero();
            assertThat(row).as("the reason is cut with an ellipsis").endsWith("…").doesNotContain("x".repeat(200));
            assertThat(row.length()).isLessThan(330);
        }
        assertThat(r.out()).as("U+2028 and every other separator is split by Java's lines() too: none is left")
                .doesNotContain("\n     9  2026-11-29").doesNotContain("\u2028", "\u2029", "\u0085", "\r");
        assertThat(rows.get(1)).contains("/tmp/a\\x0a ");
        assertThat(rows.get(6)).contains("/tmp/f\\u202egpj.exe").contains("/bin/agent\\u202e");
        assertThat(rows.get(8)).contains("\\U000e0001");
        assertThat(rows.get(10)).as("an unpaired surrogate is stored as U+FFFD by the log itself").contains("/tmp/j\ufffdx");
        assertThat(rows.get(11)).contains("/tmp/k\\x1b]0;title\\x07\\x9b2J");
    }

    @Test
    void verifyPrintsTheCountAndLastHashWhenIntact() {
        CliRun r = CliRun.of("audit", "verify", log);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.OK);
        assertThat(r.out().strip()).isEqualTo("audit log " + log + ": 5 events, chain intact, last hash " + head);
        assertThat(r.err()).isEmpty();
    }

    @Test
    void verifyNamesTheFirstBadLineAndExits1() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        lines.set(2, lines.get(2).replace("kill-process", "allowed"));
        Files.writeString(log, String.join("\n", lines) + "\n");
        CliRun r = CliRun.of("audit", "verify", log);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.out()).isEmpty();
        assertThat(r.err().strip()).isEqualTo("nojit audit verify: audit log " + log + ": line 3: hash does not match its content (edited?)");
        assertThat(r.errIsOneCleanLine()).isTrue();

        CliRun show = CliRun.of("audit", "show", log);
        assertThat(show.exitCode()).as("show still prints the table, and says the chain is broken").isEqualTo(1);
        assertThat(show.out().lines().toList()).hasSize(7);
        assertThat(show.out()).contains("chain BROKEN: line 3: hash does not match its content (edited?)");
    }

    @Test
    void verifyCatchesADeletedLine() throws Exception {
        List<String> lines = new ArrayList<>(Files.readAllLines(log, StandardCharsets.UTF_8));
        lines.remove(1);
        Files.writeString(log, String.join("\n", lines) + "\n");
        CliRun r = CliRun.of("audit", "verify", log);
        assertThat(r.exitCode()).isEqualTo(1);
        assertThat(r.err()).contains("line 2: seq 3 where 2 expected (line deleted or reordered?)");
    }

    @Test
    void missingEmptyOrGarbageFilesAreOneLineErrorsWithExit1() throws Exception {
        Path missing = dir.resolve("nope.jsonl");
        CliRun r = CliRun.of("audit", "verify", missing);
        assertThat(r.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(r.err().strip()).isEqualTo("nojit audit verify: no such file: " + missing);

        CliRun show = CliRun.of("audit", "show", missing);
        assertThat(show.exitCode()).isEqualTo(ExitCodes.CHECK_FAILED);
        assertThat(show.errIsOneCleanLine()).isTrue();

        Path empty = Files.createFile(dir.resolve("empty.jsonl"));
        CliRun e = CliRun.of("audit", "verify", empty);
        assertThat(e.exitCode()).isEqualTo(1);
        assertThat(e.err().strip()).isEqualTo("nojit audit verify: audit log " + empty + ": no events");

        Path garbage = Files.writeString(dir.resolve("g.jsonl"), "hello\n");
        CliRun g = CliRun.of("audit", "verify", garbage);
        assertThat(g.exitCode()).isEqualTo(1);
        assertThat(g.err()).contains("line 1: not valid JSON");
        assertThat(g.errIsOneCleanLine()).isTrue();
    }

    @Test
    void usageErrorsExit2() {
        assertThat(CliRun.of("audit").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("audit", "verify").exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(CliRun.of("audit", "show", "--color", "sometimes", log).exitCode()).isEqualTo(ExitCodes.USAGE);
    }

    @Test
    void exitCodesHoldInARealProcess() throws Exception {
        CliProcess ok = CliProcess.run("", "audit", "verify", log);
        assertThat(ok.exitCode()).isZero();
        assertThat(ok.out()).contains("5 events, chain intact");
        Files.writeString(log, "{}\n", java.nio.file.StandardOpenOption.APPEND);
        CliProcess bad = CliProcess.run("", "audit", "verify", log);
        assertThat(bad.exitCode()).isEqualTo(1);
        assertThat(bad.err()).contains("line 6: member \"seq\" missing");
    }
}
