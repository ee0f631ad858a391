package dev.nojit.cli;

import dev.nojit.host.HostCallException;
import dev.nojit.host.kernel.LinuxCalls;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A vkernel main for the lockdown tests: the real {@link VkernelMain}, which after locking itself
 * down tries the host-level attack named by NOJIT_TEST_ATTEMPT from inside the vkernel JVM and
 * prints {@code host-attempt NAME: ...} on stderr when it survives it.
 */
public final class HostAttemptMain {
    private HostAttemptMain() {}

    public static void main(String[] args) {
        String attempt = System.getenv("NOJIT_TEST_ATTEMPT");
        VkernelMain.afterLockdown = () -> {
            String outcome;
            try {
                outcome = "returned " + attempt(attempt);
            } catch (HostCallException e) {
                outcome = "errno " + e.errno();
            } catch (Exception | LinkageError e) {
                outcome = "refused: " + e;
            }
            System.err.println("host-attempt " + attempt + ": " + outcome);
            System.err.flush();
        };
        VkernelMain.main(args);
    }

    private static final long PROT_READ = 1, PROT_WRITE = 2, PROT_EXEC = 4, MAP_PRIVATE = 2, MAP_ANONYMOUS = 0x20;

    private static Object attempt(String name) throws Exception {
        return switch (name) {
            case "mmap-exec" -> LinuxCalls.syscall6("mmap", 9, 0, 4096, PROT_READ | PROT_EXEC, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
            case "mprotect-exec" -> {
                long p = LinuxCalls.syscall6("mmap", 9, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                yield LinuxCalls.syscall("mprotect", 10, p, 4096, PROT_READ | PROT_EXEC, 0, 0);
            }
            case "pkey-mprotect" -> {
                long p = LinuxCalls.syscall6("mmap", 9, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                yield LinuxCalls.syscall("pkey_mprotect", 329, p, 4096, PROT_READ | PROT_EXEC, -1, 0);
            }
            case "personality" -> LinuxCalls.syscall("personality", 135, 0x0400000, 0, 0, 0, 0);
            case "shmat-exec" -> {
                long id = LinuxCalls.syscall("shmget", 29, 0, 4096, 01000 | 0600, 0, 0);
                yield LinuxCalls.syscall("shmat", 30, id, 0, 0100000, 0, 0);
            }
            case "memfd" -> LinuxCalls.syscall("memfd_create", 319, 0, 0, 0, 0, 0);
            case "mremap" -> {
                long p = LinuxCalls.syscall6("mmap", 9, 0, 4096, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
                yield LinuxCalls.syscall("mremap", 25, p, 4096, 8192, 1, 0);
            }
            case "exec" -> new ProcessBuilder("/bin/true").start().waitFor();
            case "proc-mem" -> Files.newOutputStream(Path.of("/proc/self/mem")).getClass();
            case "write-outside" -> Files.writeString(Path.of("/tmp/nojit-escape-" + ProcessHandle.current().pid()), "x");
            case "read-outside" -> Files.readString(Path.of("/etc/hostname"));
            case "raw-syscall" -> LinuxCalls.syscall("getpid", 39, 0, 0, 0, 0, 0);
            // Class-path code (the unnamed module) asking for a native downcall of its own.
            case "native-downcall" -> {
                Linker linker = Linker.nativeLinker();
                yield linker.downcallHandle(linker.defaultLookup().find("getpid").orElseThrow(), FunctionDescriptor.of(ValueLayout.JAVA_INT));
            }
            default -> throw new IllegalArgumentException("unknown attempt " + name);
        };
    }
}
