package dev.nojit.audit;

import java.util.List;
import java.util.Map;

/**
 * One thing that happened in a container, before the log seals it: the log adds {@code seq},
 * {@code time}, {@code container}, {@code prev}, {@code hash} and the OCSF fields derived from
 * {@link #type()} and {@link #action()} (SPEC §5).
 *
 * @param type    what happened ({@link Type})
 * @param process the process it happened to or in; null for container-level events
 * @param syscall the syscall that asked for it; null when none did
 * @param target  the file involved; null when none is
 * @param action  what nojit did about it
 * @param reason  one human sentence: why this action (shown by {@code nojit audit show})
 * @param details further members, event-specific (e.g. {@code exit_code} of process_exit); may be empty
 */
public record AuditEvent(Type type, ProcessRef process, SyscallRef syscall, TargetRef target, Action action,
                         String reason, Map<String, Object> details) {
    public AuditEvent {
        details = details == null ? Map.of() : Map.copyOf(details);
    }

    /** Event types (SPEC §5); the JSON name is {@link #json()}. */
    public enum Type {
        CONTAINER_START, EXEC, EXEC_DENIED, MEMORY_EXEC_DENIED, CODE_LOAD_DENIED, PROCESS_EXIT, LOCKDOWN, CONTAINER_STOP,
        /** Events over the audit budget, counted instead of written one by one (issue 15). */
        AUDIT_SUPPRESSED,
        /** The audit budget is used up: the container is stopped. */
        AUDIT_BUDGET_EXCEEDED;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** True for the types that record a policy violation. */
        public boolean isViolation() {
            return this == EXEC_DENIED || this == MEMORY_EXEC_DENIED || this == CODE_LOAD_DENIED;
        }
    }

    /** What nojit did; the JSON name is {@link #json()}. */
    public enum Action {
        ALLOWED, DENIED, KILL_PROCESS, KILL_CONTAINER;

        public String json() {
            return name().toLowerCase(java.util.Locale.ROOT).replace('_', '-');
        }
    }

    /** {@code process}: who. {@code exe} is the container path it was started from. */
    public record ProcessRef(int pid, int ppid, String exe, String exeSha256, List<String> argv) {
        public ProcessRef {
            argv = List.copyOf(argv);
        }
    }

    /**
     * {@code syscall}: the call that asked, with its decoded arguments (numbers, strings, lists
     * of flag names), in the order the syscall declares them.
     */
    public record SyscallRef(String name, int nr, Map<String, Object> args) {
        public SyscallRef {
            args = java.util.Collections.unmodifiableMap(new java.util.LinkedHashMap<>(args));
        }
    }

    /** {@code target}: a file, by container path and the SHA-256 of the bytes involved (null if unknown). */
    public record TargetRef(String path, String sha256) {}
}
