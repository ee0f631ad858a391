package dev.nojit.host;

import org.junit.jupiter.api.Test;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/** The orphan watchdog of the vkernel and simulation JVMs: once the parent is gone, the JVM halts. */
class ProcessGuardsTest {
    @Test
    void aJvmWhoseParentDiesHaltsInsteadOfRunningOn() throws Exception {
        String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
        // sh starts the probe in the background and exits 3 s later: the probe is orphaned then.
        Process sh = new ProcessBuilder("sh", "-c", "\"$@\" & sleep 3", "sh", java, "--enable-native-access=ALL-UNNAMED",
                "-cp", System.getProperty("java.class.path"), OrphanProbeMain.class.getName())
                .redirectError(ProcessBuilder.Redirect.DISCARD).start();
        List<String> lines = new ArrayList<>();
        long shEnded = 0;
        // The pipe closes when both sh and the probe are gone; "survived" would come at 30 s.
        try (BufferedReader r = new BufferedReader(new InputStreamReader(sh.getInputStream(), StandardCharsets.UTF_8))) {
            for (String line; (line = r.readLine()) != null; ) {
                lines.add(line);
                if (line.equals("watching")) {
                    assertThat(sh.waitFor(20, TimeUnit.SECONDS)).isTrue();
                    shEnded = System.nanoTime();
                }
            }
        }
        long afterOrphaned = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - shEnded);
        assertThat(lines).containsExactly("watching");
        assertThat(shEnded).isPositive();
        assertThat(afterOrphaned).as("ms from the parent's exit to the probe's halt").isLessThan(15_000);
    }
}
