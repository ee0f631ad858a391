package dev.nojit.cli;

import dev.nojit.bundle.testing.Guests;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/** A signed bundle of guests/attacks/audit.c as /bin/attack-audit and /bin/wali-hello (which its flood execs), with a fresh key. */
record AttackAuditBundle(Path key, Path app) {
    static AttackAuditBundle build(Path dir) throws Exception {
        Path key = dir.resolve("k");
        assertThat(CliRun.of("keygen", "--out", key).exitCode()).isZero();
        Path in = Files.createDirectories(dir.resolve("in"));
        Path app = dir.resolve("app.nojit");
        CliRun build = CliRun.of("build", "--key", key, "--out", app,
                "--exec", "/bin/attack-audit=" + Guests.copy("attack-audit.wasm", in),
                "--exec", "/bin/wali-hello=" + Guests.copy("wali-hello.wasm", in));
        assertThat(build.exitCode()).as(build.err()).isZero();
        return new AttackAuditBundle(key, app);
    }
}
