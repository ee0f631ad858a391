package dev.nojit.audit;

import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.ProcessRef;
import dev.nojit.audit.AuditEvent.SyscallRef;
import dev.nojit.audit.AuditEvent.TargetRef;
import dev.nojit.audit.AuditEvent.Type;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Events as the vkernel builds them, for the tests. */
final class SampleEvents {
    static final String GENESIS = "0".repeat(64);
    static final String SHA_A = "a".repeat(64), SHA_B = "b".repeat(64), SHA_C = "c".repeat(64);
    static final ContainerRef CONTAINER = new ContainerRef("c-1234", SHA_A, SHA_B);

    private SampleEvents() {}

    static ProcessRef process(int pid) {
        return new ProcessRef(pid, 1, "/bin/sh", SHA_C, List.of("/bin/sh", "-c", "echo hi"));
    }

    static AuditEvent start() {
        return new AuditEvent(Type.CONTAINER_START, null, null, null, Action.ALLOWED, null,
                Map.of("policy", Map.of("onViolation", "kill-process", "scripts", "via-interpreter")));
    }

    static AuditEvent exec(int pid) {
        return new AuditEvent(Type.EXEC, process(pid), new SyscallRef("execve", 221, Map.of("path", "/bin/sh")),
                new TargetRef("/bin/sh", SHA_C), Action.ALLOWED, "listed in the manifest", Map.of());
    }

    static AuditEvent execDenied(int pid) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("path", "/tmp/payload");
        args.put("argv", List.of("/tmp/payload"));
        return new AuditEvent(Type.EXEC_DENIED, process(pid), new SyscallRef("execve", 221, args),
                new TargetRef("/tmp/payload", "d".repeat(64)), Action.KILL_PROCESS,
                "not in the manifest: content hash unknown", Map.of());
    }

    static AuditEvent mprotectDenied(int pid) {
        Map<String, Object> args = new LinkedHashMap<>();
        args.put("addr", 65536L);
        args.put("len", 4096L);
        args.put("prot", List.of("PROT_READ", "PROT_EXEC"));
        return new AuditEvent(Type.MEMORY_EXEC_DENIED, process(pid), new SyscallRef("mprotect", 226, args), null,
                Action.KILL_CONTAINER, "PROT_EXEC asked for guest memory", Map.of());
    }

    static AuditEvent exit(int pid, int code) {
        return new AuditEvent(Type.PROCESS_EXIT, process(pid), null, null, Action.ALLOWED, null, Map.of("exit_code", (long) code));
    }

    static AuditEvent stop() {
        return new AuditEvent(Type.CONTAINER_STOP, null, null, null, Action.ALLOWED, null, Map.of("exit_code", 0L));
    }
}
