package dev.nojit.cli;

import dev.nojit.bundle.json.CanonicalJson;
import dev.nojit.cli.simulate.Technique;
import dev.nojit.cli.simulate.Techniques;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code nojit simulate --engine aot}: the whole catalogue, its bundles built with the real translator (nojit-aot,
 * in JVMs of its own) and run under the strict host lockdown, comes to the same verdict and the same observation
 * in every row as on the interpreter; the modules that fork run AOT with deoptimization handlers (their forks
 * continue on the interpreter; CPython among them, its eval loop split into regions), the rest run AOT; the report
 * and the output say which.
 */
class SimulateAotTest {
    /**
     * The catalogue's programs that import fork, vfork or clone (an attack program forks for some of its techniques,
     * and the shells and interpreters for system()/popen()) and are translated whole: AOT with deoptimization.
     */
    private static final List<String> FORKING = List.of("/bin/attack-exec", "/bin/attack-memory", "/bin/attack-exhaust",
            "/bin/attack-host", "/bin/attack-signals", "/bin/attack-audit", "/bin/sh", "/bin/bash", "/bin/lua", "/usr/bin/python3");
    /** Every executable that runs AOT, sorted: the forking ones above and the rest. */
    private static final List<String> AOT = List.of("/bin/attack-audit", "/bin/attack-exec", "/bin/attack-execcheck",
            "/bin/attack-exhaust", "/bin/attack-host", "/bin/attack-memory", "/bin/attack-mountswap", "/bin/attack-signals",
            "/bin/bash", "/bin/cat", "/bin/lua", "/bin/sh", "/bin/wali-echo", "/bin/wali-hello", "/bin/wc", "/usr/bin/python3");

    /**
     * Rows whose observation counts what timing decides: the exec race's rounds, and the events the audit flood gets
     * aggregated before the budget stops it (aggregation is once a second). The verdict must agree, the counts need not.
     */
    private static final List<String> RACY = List.of("exec-race", "audit-flood");

    @TempDir
    Path dir;

    @Test
    void theCatalogueComesToTheSameVerdictsInAotModeAsOnTheInterpreter() throws Exception {
        Path report = dir.resolve("aot.json");
        CliRun aot = CliRun.of("simulate", "--engine", "aot", "--report", report);
        Path interpReport = dir.resolve("interpreter.json");
        CliRun interp = CliRun.of("simulate", "--report", interpReport);
        assertThat(interp.exitCode()).as(interp.out() + interp.err()).isZero();
        assertThat(aot.exitCode()).as(aot.out() + aot.err()).isZero();

        List<String> names = Techniques.all().stream().map(Technique::name).toList();
        Map<String, String> a = rows(aot.out()), i = rows(interp.out());
        assertThat(a.keySet()).containsExactlyElementsOf(names);
        assertThat(i.keySet()).containsExactlyElementsOf(names);
        // Same verdict and same observation in every row; the exec race's round counts depend on timing, not the engine.
        List<String> differ = new ArrayList<>();
        for (String name : names) {
            boolean same = RACY.contains(name) ? a.get(name).endsWith(" pass") == i.get(name).endsWith(" pass") : a.get(name).equals(i.get(name));
            if (!same || !a.get(name).endsWith(" pass")) differ.add(name + ": aot '" + a.get(name) + "', interpreter '" + i.get(name) + "'");
        }
        assertThat(differ).isEmpty();
        assertThat(aot.out()).contains("simulate: " + names.size() + " techniques, " + names.size() + " passed, 0 failed")
                .contains("host lockdown: strict");

        // The build's notices: the forking programs get deoptimization handlers, every one is translated.
        for (String path : FORKING) {
            assertThat(aot.err()).contains("nojit simulate: " + path + ": deoptimization at call sites (imports SYS_");
        }
        assertThat(aot.err()).doesNotContain("stays interpreted");
        for (String path : AOT) {
            assertThat(aot.err()).containsPattern("nojit simulate: " + path + ": aot: compiled \\d+ of \\d+ functions");
        }

        JsonNode techniques = CanonicalJson.mapper().readTree(Files.readAllBytes(report)).get("predicate").get("configuration").get(0);
        assertThat(techniques.get("name").asString()).isEqualTo("nojit simulate techniques");
        assertThat(techniques.get("annotations").get("engine").asString()).isEqualTo("aot");
        List<String> listed = new ArrayList<>();
        techniques.get("annotations").get("aotExecutables").forEach(n -> listed.add(n.asString()));
        assertThat(listed).containsExactlyElementsOf(AOT);
        JsonNode onInterpreter = CanonicalJson.mapper().readTree(Files.readAllBytes(interpReport)).get("predicate")
                .get("configuration").get(0).get("annotations");
        assertThat(onInterpreter.get("engine").asString()).isEqualTo("interpreter");
        assertThat(onInterpreter.get("aotExecutables")).isEmpty();
        assertThat(aot.out()).contains("engine: aot — " + AOT.size() + " executables run AOT classes (" + String.join(" ", AOT) + ")");
        assertThat(interp.out()).contains("engine: interpreter — every executable runs on the interpreter");
    }

    @Test
    void withoutTheHostLockdownTheAotContainersRunInThisJvm() {
        // Techniques whose attacker runs AOT from process 1 (mountswap, execcheck), and one where an interpreted
        // attacker execs the AOT stand-in shell (script-operand: /bin/wali-echo under manifest-only).
        CliRun r = CliRun.of("simulate", "--engine", "aot", "--host-lockdown", "off",
                "--only", "mount-swap-abs-symlink", "--only", "exec-check-unlisted", "--only", "script-operand");
        assertThat(r.exitCode()).as(r.out() + r.err()).isZero();
        assertThat(r.out()).contains("simulate: 3 techniques, 3 passed, 0 failed").contains("host lockdown: off")
                .contains("engine: aot — " + AOT.size() + " executables run AOT classes (" + String.join(" ", AOT) + ")");
    }

    @Test
    void anUnknownEngineIsAUsageError() {
        CliRun r = CliRun.of("simulate", "--engine", "jit");
        assertThat(r.exitCode()).isEqualTo(ExitCodes.USAGE);
        assertThat(r.errIsOneCleanLine()).as(r.err()).isTrue();
        assertThat(r.err()).contains("--engine jit: unknown mode (known: interpreter, aot)");
        assertThat(r.out()).isEmpty();
    }

    /** Technique name -> the rest of its row without the audit seq (a position in the run's log, not a verdict). */
    private static Map<String, String> rows(String out) {
        Map<String, String> rows = new LinkedHashMap<>();
        for (String line : out.lines().filter(l -> l.endsWith(" pass") || l.endsWith(" FAIL")).toList()) {
            String name = line.substring(0, line.indexOf(' '));
            rows.put(name, line.substring(name.length()).replaceAll("\\s+(\\d+|-)\\s+(pass|FAIL)$", " $2").strip());
        }
        return rows;
    }
}
