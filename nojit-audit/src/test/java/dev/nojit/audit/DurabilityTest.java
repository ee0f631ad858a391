package dev.nojit.audit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** SPEC §5: a violation's event is in the file even if the JVM is killed right after recording it. */
class DurabilityTest {
    @TempDir
    Path dir;

    @Test
    void eventsSurviveSigkillOfTheJvmRightAfterAppend() throws Exception {
        Path file = dir.resolve("audit.jsonl");
        String javaCommand = ProcessHandle.current().info().command().orElseThrow();
        Process child = new ProcessBuilder(List.of(javaCommand, "-cp", System.getProperty("java.class.path"),
                AppendThenHang.class.getName(), file.toString()))
                .redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        try {
            String said;
            try (BufferedReader r = new BufferedReader(new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
                said = r.readLine();
                assertThat(said).as("the child's output").startsWith("appended ");
                // Process.destroyForcibly() is kill(pid, SIGKILL) on Linux: no shutdown hook, no finalizer, no flush.
                child.destroyForcibly();
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).isTrue();
            assertThat(child.exitValue()).as("128 + SIGKILL (9)").isEqualTo(137);

            AuditVerifier.Verification v = AuditVerifier.verify(file);
            assertThat(v.intact()).as(v.problem()).isTrue();
            assertThat(v.events()).isEqualTo(4);
            assertThat(v.lastHash()).as("the durable violation is the last event").isEqualTo(said.substring("appended ".length()));
            assertThat(java.nio.file.Files.readAllLines(file).get(3)).contains("\"type\":\"exec_denied\"");
        } finally {
            child.destroyForcibly();
        }
    }
}
