package dev.nojit.cli;

import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.testing.Guests;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * `nojit demo --python` end to end: task.py under CPython (built from Debian's source with nojit-cc)
 * in a real `nojit run` (shim and locked-down vkernel) does its useful work with the standard library,
 * and each of its three attacks — a downloaded ELF and a written script through subprocess, an import
 * of a module it wrote — is refused, recorded once with the file's hash, and the task goes on to its end.
 */
class PythonDemoTest {
    @TempDir
    Path dir;

    @Test
    void thePythonTaskDoesItsWorkEveryAttackIsStoppedAndTheRecordsVerify() throws Exception {
        Path work = dir.resolve("demo");
        CliRun r = CliRun.of("demo", "--python", "--dir", work, "--color", "never");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        String out = r.out();
        assertThat(out).contains("[5] running the agent task /usr/share/agent/task.py");
        List<String> lines = out.lines().toList();
        // the useful work, exactly as task.py prints it from /srv/data/report.txt
        assertThat(lines).contains("    task | -- 4 lines, 47 words, 282 bytes in /srv/data/report.txt",
                "    task | 2:Every program in the image was compiled to WebAssembly, signed, and",
                "    task |   6 the",
                "    task | word,count | the,6 | container,2 | in,2",
                "    task | -- summary of /srv/data/report.txt: 4 lines, 47 words, top the, container, in (json)",
                // subprocess's child was killed by the policy (SIGKILL), the task carried on
                "    task | -- /tmp/payload ended with status -9",
                "    task | -- /tmp/evil.sh ended with status -9",
                "    task | -- the child ended with signal 9",
                "    task | == done: the useful work is in /tmp/summary.json");
        assertThat(out).containsPattern("subprocess: a downloaded ELF /tmp/payload +refused, recorded +refused: exec_denied, kill-process +#\\d+")
                .containsPattern("subprocess: a written script /tmp/evil.sh +refused, recorded +refused: exec_denied, kill-process +#\\d+")
                .containsPattern("import a written module /tmp/evil_mod.py +refused, recorded +refused: exec_denied, kill-process +#\\d+")
                .containsPattern("anything else refused +nothing +nothing")
                .contains("hash chain intact", "the log is the run's whole log", "demo: everything as expected");
        assertThat(out).doesNotContain("NOT as expected", "evil.sh ran", "evil_mod ran");
        // each refusal names the file, its hash and the attacker: a child of the task (pid 1), killed, while pid 1 ran on
        ObjectMapper json = new ObjectMapper();
        List<JsonNode> events = new java.util.ArrayList<>();
        for (String l : Files.readAllLines(work.resolve("audit.jsonl"))) events.add(json.readTree(l));
        Map<String, byte[]> refused = Map.of(
                "/tmp/payload", Guests.bytes("example/srv/data/payload.bin"),
                "/tmp/evil.sh", "#!/bin/sh\necho \"evil.sh ran: an unlisted script got through\"\n".getBytes(StandardCharsets.UTF_8),
                "/tmp/evil_mod.py", "print(\"evil_mod ran: Python imported unlisted code\")\n".getBytes(StandardCharsets.UTF_8));
        for (var f : refused.entrySet()) {
            List<JsonNode> hits = events.stream().filter(e -> e.path("type").asString().equals("exec_denied")
                    && e.path("target").path("path").asString().equals(f.getKey())).toList();
            assertThat(hits).as(f.getKey()).hasSize(1);
            JsonNode v = hits.getFirst();
            assertThat(v.path("target").path("sha256").asString()).isEqualTo(Sha256.hex(f.getValue()));
            assertThat(v.path("action").asString()).isEqualTo("kill-process");
            assertThat(v.path("syscall").path("name").asString()).isEqualTo(f.getKey().endsWith(".py") ? "execveat" : "execve");
            assertThat(v.path("process").path("ppid").asInt()).isEqualTo(1);
            int pid = v.path("process").path("pid").asInt();
            assertThat(pid).isGreaterThan(1);
            assertThat(events).anySatisfy(e -> {
                assertThat(e.path("type").asString()).isEqualTo("process_exit");
                assertThat(e.path("process").path("pid").asInt()).isEqualTo(pid);
                assertThat(e.path("signal").asInt()).isEqualTo(9);
            });
        }
    }
}
