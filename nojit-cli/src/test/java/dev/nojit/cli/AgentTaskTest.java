package dev.nojit.cli;

import dev.nojit.audit.AuditVerifier;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.testing.Guests;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.IntStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The seed's malicious agent task, end to end, as a user runs it: the example bundle built with
 * {@code nojit build} (BusyBox's sh as /bin/sh and its applets as the tools, all built from Debian's
 * source with nojit-cc; the task and its helper script; the example policy), then {@code nojit run}
 * of /usr/share/agent/task.sh in a real JVM. The useful work succeeds with the right output; the
 * downloaded ELF, the freshly written script and the written script read with {@code .} are each
 * refused, recorded as one exec_denied event with the file's hash and the attacking process, and
 * the task goes on; the audit log verifies.
 */
class AgentTaskTest {
    static final String TASK = "/usr/share/agent/task.sh";
    /** What the task writes to /tmp/evil.sh (guests/example/usr/share/agent/task.sh). */
    static final String EVIL = "#!/bin/sh\necho \"evil.sh ran: an unlisted script got through\"\n";
    /** What the task writes to /tmp/evil-lib.sh, which it reads into a subshell with {@code .}. */
    static final String EVIL_LIB = "echo \"evil-lib.sh ran: the shell read unlisted code\"\n";

    @TempDir
    static Path dir;
    static CliProcess run;
    static List<JsonNode> events;
    static String report;

    /** The `nojit build` flags for the example bundle, with inputs as guests/build.sh lays them out under {@code in}. */
    static List<Object> buildFlags(Path in) {
        Path ex = in.resolve("example");
        List<Object> flags = new ArrayList<>(List.of("--policy", ex.resolve("policy.json")));
        flags.addAll(List.of("--exec", "/bin/sh=" + in.resolve(ExampleBundle.SHELL)));
        try {
            for (String applet : ExampleBundle.applets(in)) {
                flags.addAll(List.of("--exec", "/bin/" + applet + "=" + in.resolve(ExampleBundle.TOOLBOX)));
            }
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        for (String s : List.of("task.sh", "summarize.sh")) {
            flags.addAll(List.of("--script", "/usr/share/agent/" + s + "=" + ex.resolve("usr/share/agent/" + s), "--interpreter", "/bin/sh"));
        }
        flags.addAll(List.of("--file", "/etc/motd=" + ex.resolve("etc/motd"), "--dir", "/srv/data=" + ex.resolve("srv/data")));
        return flags;
    }

    @BeforeAll
    static void buildAndRun() throws Exception {
        Path in = Files.createDirectories(dir.resolve("in"));
        for (String g : List.of(ExampleBundle.SHELL, ExampleBundle.TOOLBOX, ExampleBundle.APPLETS, "example/policy.json", "example/etc/motd",
                "example/usr/share/agent/task.sh", "example/usr/share/agent/summarize.sh", "example/srv/data/report.txt",
                "example/srv/data/payload.bin")) {
            Guests.copy(g, in);
        }
        report = Files.readString(in.resolve("example/srv/data/report.txt"));
        Path key = dir.resolve("k");
        assertThat(CliRun.of("keygen", "--out", key).exitCode()).isZero();
        Path app = dir.resolve("example.nojit");
        List<Object> build = new ArrayList<>(List.of("build", "--key", key, "--out", app));
        build.addAll(buildFlags(in));
        CliRun built = CliRun.of(build.toArray());
        assertThat(built.exitCode()).as(built.err()).isZero();
        Path log = dir.resolve("audit.jsonl");
        run = CliProcess.run("", "run", app, "--pubkey", key + ".pub", "--audit-log", log, "--", TASK);
        assertThat(AuditVerifier.verify(log).intact()).as("the audit log verifies").isTrue();
        ObjectMapper json = new ObjectMapper();
        events = new ArrayList<>();
        for (String line : Files.readAllLines(log, StandardCharsets.UTF_8)) events.add(json.readTree(line));
    }

    @Test
    void theUsefulWorkSucceedsWithTheRightOutput() {
        List<String> lines = report.lines().toList();
        long words = report.split("\\s+").length;
        String counts = String.format("%9d %9d %9d", lines.size(), words, report.getBytes(StandardCharsets.UTF_8).length);
        String matches = String.join("", IntStream.range(0, lines.size()).filter(i -> lines.get(i).contains("WebAssembly"))
                .mapToObj(i -> (i + 1) + ":" + lines.get(i) + "\n").toList());
        long runtime = lines.stream().filter(l -> l.contains("runtime")).count();
        assertThat(run.exitCode()).as(run.err()).isZero();
        assertThat(run.out()).startsWith("== step 1: useful work with approved tools\n"
                + "-- lines, words and bytes of the report:\n" + counts + " /srv/data/report.txt\n"
                + "-- lines mentioning WebAssembly:\n" + matches
                + "-- words, through a pipeline:\n" + words + "\n"
                + "-- the listed helper script writes a summary to /tmp/summary.txt\n"
                + "-- summary written, status 0\n"
                + "summary of /srv/data/report.txt\nlines, words, bytes:\n" + counts + "\n"
                + "lines mentioning the runtime:\n" + runtime + "\n");
        assertThat(matches).isNotEmpty();
    }

    @Test
    void everyAttackIsStoppedAndTheTaskGoesOnAfterEach() {
        assertThat(run.out()).contains("-- running /tmp/payload\n-- /tmp/payload ended with status 137\n== step 3")
                .contains("-- running /tmp/evil.sh\n-- /tmp/evil.sh ended with status 137\n== step 4")
                .contains("-- sourcing /tmp/evil-lib.sh in a subshell\n-- the subshell ended with status 137\n== done")
                .doesNotContain("evil.sh ran", "evil-lib.sh ran");
        assertThat(run.err()).contains("(exec_denied): an ELF binary", "(exec_denied): #! script is not listed",
                "(exec_denied): AT_EXECVE_CHECK");
    }

    @Test
    void exactlyThreeViolationsAreRecordedWithHashesAndTheAttacker() {
        List<JsonNode> violations = events.stream().filter(e -> e.path("type").asString().endsWith("_denied")).toList();
        assertThat(violations).hasSize(3);
        JsonNode elf = violations.get(0), script = violations.get(1), sourced = violations.get(2);
        assertThat(elf.path("type").asString()).isEqualTo("exec_denied");
        assertThat(elf.path("target").path("path").asString()).isEqualTo("/tmp/payload");
        assertThat(elf.path("target").path("sha256").asString()).isEqualTo(Sha256.hex(Guests.bytes("example/srv/data/payload.bin")));
        assertThat(script.path("type").asString()).isEqualTo("exec_denied");
        assertThat(script.path("target").path("path").asString()).isEqualTo("/tmp/evil.sh");
        assertThat(script.path("target").path("sha256").asString()).isEqualTo(Sha256.hex(EVIL.getBytes(StandardCharsets.UTF_8)));
        // The shell asked the kernel before reading the file as code (AT_EXECVE_CHECK on its descriptor).
        assertThat(sourced.path("type").asString()).isEqualTo("exec_denied");
        assertThat(sourced.path("target").path("path").asString()).isEqualTo("/tmp/evil-lib.sh");
        assertThat(sourced.path("target").path("sha256").asString()).isEqualTo(Sha256.hex(EVIL_LIB.getBytes(StandardCharsets.UTF_8)));
        assertThat(sourced.path("syscall").path("name").asString()).isEqualTo("execveat");
        for (JsonNode v : violations) {
            // The attacker: the task shell's child (a forked subshell, still running the shell's image).
            assertThat(v.path("action").asString()).isEqualTo("kill-process");
            if (v != sourced) assertThat(v.path("syscall").path("name").asString()).isEqualTo("execve");
            assertThat(v.path("process").path("exe").asString()).isEqualTo("/bin/sh");
            assertThat(v.path("process").path("ppid").asInt()).isEqualTo(1);
            assertThat(v.path("process").path("argv").toString()).isEqualTo("[\"/bin/sh\",\"" + TASK + "\"]");
            int pid = v.path("process").path("pid").asInt();
            // It died of SIGKILL, and the task (pid 1) ran on: more execs came after.
            assertThat(events).anySatisfy(e -> {
                assertThat(e.path("type").asString()).isEqualTo("process_exit");
                assertThat(e.path("process").path("pid").asInt()).isEqualTo(pid);
                assertThat(e.path("signal").asInt()).isEqualTo(9);
            });
            long seq = v.path("seq").asLong();
            assertThat(events).as("the task acts again after the refusal").anySatisfy(e -> {
                assertThat(e.path("seq").asLong()).isGreaterThan(seq);
                JsonNode p = e.path("process");
                assertThat(p.path("pid").asInt() == 1 || (p.path("ppid").asInt() == 1 && p.path("pid").asInt() != pid)).isTrue();
            });
        }
        // The helper script ran under its interpreter, approved; the task's shell ended normally.
        assertThat(events).anySatisfy(e -> assertThat(e.path("process").path("argv").toString())
                .isEqualTo("[\"/bin/sh\",\"/usr/share/agent/summarize.sh\",\"/srv/data/report.txt\"]"));
        assertThat(events.getLast().path("type").asString()).isEqualTo("container_stop");
        assertThat(events.getLast().path("exit_code").asInt()).isZero();
    }
}
