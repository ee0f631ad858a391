package dev.nojit.vkernel.guests;

import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.testing.TestContainers;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import static dev.nojit.vkernel.guests.WaliImage.assertAllPassed;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The project's own WALI guests (guests/src/wali, C compiled to wasm32) run under the vkernel,
 * one per syscall family. Each guest checks what it sees and prints "ok ..." or "FAIL ..."
 * lines; these tests also assert the lines that matter, so a guest that stops checking fails.
 */
class WaliGuestsTest extends WaliImageTest {
    private static Run run(String guest, String... args) {
        return image.run(guest, args);
    }

    private static Run run(Container.Options options, String guest, String... args) {
        return image.run(options, guest, args);
    }

    @Test
    void processesForkExecveWaitAndSessions() {
        Run r = run("wali-procs");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok exit status 7 encoded", "ok death by SIGUSR1 encoded", "ok SIGCHLD handler ran",
                "ok zombie exists until reaped", "ok execve argv, env and close-on-exec", "ok setsid in a child");
    }

    @Test
    void aPipelineOfThreeProcessesAndRedirections() {
        Run r = run("wali-pipeline");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok three-stage pipeline counts 333 multiples of 3", "ok stdout redirected to a file with dup2",
                "ok writer without reader dies of SIGPIPE", "ok poll: hang-up after the writer closed");
    }

    @Test
    void filesDirectoriesLinksDevicesProcAndAMount() throws Exception {
        Path host = Files.createDirectories(dir.resolve("host"));
        Files.writeString(host.resolve("from-host.txt"), "written on the host\n");
        Files.deleteIfExists(host.resolve("escape"));
        Files.createSymbolicLink(host.resolve("escape"), dir.resolve("in").resolve("motd").toAbsolutePath());
        Run r = run(Container.Options.defaults().withMounts(List.of(new Container.Mount("/host", host, false))),
                "wali-files", "/host");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok write over an image file (copied up)", "ok /proc/self/fd/N names the file",
                "ok a host symlink to a host path does not escape", "ok rename out of the mount: EXDEV");
        assertThat(Files.readString(host.resolve("from-guest.txt"))).isEqualTo("written in the container\n");
    }

    @Test
    void memoryBrkMmapGrowthAndRemap() {
        Run r = run("wali-memory");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok mmap grows memory to 64 MiB", "ok a freed range is reused",
                "ok mremap grows and keeps the contents");
    }

    @Test
    void writesPastTheContainerMemoryLimitGetEnomem() {
        Run r = run(Container.Options.defaults().withConfig(KernelConfig.defaults().withMemoryLimit(128L << 20)), "wali-memory", "128");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok past the memory limit: ENOMEM", "ok stopped below the limit");
    }

    @Test
    void signalsAndSetjmpLongjmp() {
        Run r = run("wali-signals");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok the handler ran on return from kill", "ok unblocking delivers it",
                "ok read interrupted with EINTR", "ok a spinning child dies of SIGTERM", "ok longjmp out of 50 frames returns 50",
                "ok longjmp through a copied jmp_buf", "ok siglongjmp from a handler restored the mask",
                "ok a child longjmps to a setjmp made before fork");
    }

    @Test
    void aForkBombIsContainedByTheProcessLimit() {
        Run r = run(Container.Options.defaults().withConfig(KernelConfig.defaults().withMaxProcesses(32)), "wali-forkbomb");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok fork fails with EAGAIN at the process limit", "children: 31", "ok fork works again afterwards");
    }

    @Test
    void hostilePointersLengthsDescriptorsPathsAndArgvAreErrors() {
        Run r = run("wali-hostile");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok write from a pointer past memory: EFAULT", "ok a 5000-component path: ENAMETOOLONG",
                "ok execve with 100,000 arguments: E2BIG", "ok opening until EMFILE", "survived");
    }

    @Test
    void hostileAndCrashingNeighboursDoNotStopAWellBehavedProcess() {
        Run r = run("wali-hostile", "neighbours");
        assertAllPassed(r);
        assertThat(r.out()).contains("ok the trapping neighbour died of SIGSEGV", "ok the hostile neighbour got errors and exited 0",
                "ok the well-behaved neighbour finished its work");
    }

    @Test
    void aGuestThatTrapsDiesAloneAndATimeoutKillsTheContainer() {
        Run trap = run("wali-hostile", "mem");
        assertThat(trap.exitCode()).isEqualTo(128 + 11);
        assertThat(trap.err()).contains("trap: out of bounds memory access");

        Run spin = TestContainers.run(image.bundle(), Container.Options.defaults(), "", "/bin/wali-hostile", List.of("spin"), Duration.ofSeconds(2));
        assertThat(spin.result().timedOut()).isTrue();
        assertThat(spin.exitCode()).isEqualTo(137);
    }
}
