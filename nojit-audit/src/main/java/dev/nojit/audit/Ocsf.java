package dev.nojit.audit;

import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.Type;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The OCSF (Open Cybersecurity Schema Framework, 1.3) classification of an event: which class
 * and activity it is, what happened to it (disposition), how serious it is. The log writes these
 * as top-level members beside nojit's own, so a SIEM that speaks OCSF can route the events
 * without a translation table. The mapping (docs/audit.md has it as a table):
 *
 * <ul>
 *   <li>{@code exec}, {@code exec_denied}: 1007 Process Activity, 1 Launch.</li>
 *   <li>{@code code_load_denied}: 1007 Process Activity, 4 Inject (code from outside the
 *       megabinary was about to run inside the process).</li>
 *   <li>{@code process_exit}: 1007 Process Activity, 2 Terminate.</li>
 *   <li>{@code memory_exec_denied}: 1004 Memory Activity; the activity by the syscall that asked:
 *       mmap, mremap, shmat, memfd_create → 1 Allocate Page; mprotect, pkey_mprotect → 2 Modify
 *       Page; personality (READ_IMPLIES_EXEC) → 5 Disable DEP; a write into process memory
 *       (process_vm_writev, ptrace, a write to /proc/PID/mem) → 8 Write; anything else → 99 Other.</li>
 *   <li>{@code container_start}, {@code container_stop}: 6002 Application Lifecycle, 3 Start / 4 Stop.</li>
 *   <li>{@code lockdown} (the host lockdown in force): 6002 Application Lifecycle, 99 Other,
 *       activity_name "Lockdown".</li>
 *   <li>{@code audit_suppressed}, {@code audit_budget_exceeded} (the audit budget): 1008 Event Log
 *       Activity, 99 Other, activity_name "Suppress" / "Budget Exceeded"; severity 3 Medium for
 *       the budget's stop of the container.</li>
 * </ul>
 *
 * <p>{@code type_uid} = class_uid × 100 + activity_id; {@code category_uid} = class_uid / 1000.
 * Disposition: {@code allowed} → 1 Allowed, every other action → 2 Blocked. Status: 1 Success for
 * allowed, 2 Failure otherwise. Severity: 4 High for a violation, 1 Informational otherwise.
 */
final class Ocsf {
    /** The OCSF schema version the mapping follows (metadata.version). */
    static final String SCHEMA_VERSION = "1.3.0";

    /** Top-level member names this class writes; event details may not reuse them. */
    static final Set<String> MEMBERS = Set.of("class_uid", "class_name", "category_uid", "category_name",
            "activity_id", "activity_name", "type_uid", "type_name", "disposition_id", "disposition",
            "severity_id", "severity", "status_id", "status", "metadata");

    private static final int PROCESS_ACTIVITY = 1007, MEMORY_ACTIVITY = 1004, EVENT_LOG_ACTIVITY = 1008, APPLICATION_LIFECYCLE = 6002;

    private Ocsf() {}

    /** The OCSF members of an event of {@code type} with {@code action}, asked for by {@code syscallName} (may be null). */
    static Map<String, Object> members(Type type, Action action, String syscallName) {
        int classUid;
        String className;
        int activityId;
        String activityName;
        switch (type) {
            case EXEC, EXEC_DENIED -> {
                classUid = PROCESS_ACTIVITY; className = "Process Activity"; activityId = 1; activityName = "Launch";
            }
            case CODE_LOAD_DENIED -> {
                classUid = PROCESS_ACTIVITY; className = "Process Activity"; activityId = 4; activityName = "Inject";
            }
            case PROCESS_EXIT -> {
                classUid = PROCESS_ACTIVITY; className = "Process Activity"; activityId = 2; activityName = "Terminate";
            }
            case MEMORY_EXEC_DENIED -> {
                classUid = MEMORY_ACTIVITY; className = "Memory Activity";
                activityId = memoryActivity(syscallName);
                activityName = switch (activityId) {
                    case 1 -> "Allocate Page";
                    case 2 -> "Modify Page";
                    case 5 -> "Disable DEP";
                    case 8 -> "Write";
                    default -> "Other";
                };
            }
            case CONTAINER_START -> {
                classUid = APPLICATION_LIFECYCLE; className = "Application Lifecycle"; activityId = 3; activityName = "Start";
            }
            case CONTAINER_STOP -> {
                classUid = APPLICATION_LIFECYCLE; className = "Application Lifecycle"; activityId = 4; activityName = "Stop";
            }
            case LOCKDOWN -> {
                classUid = APPLICATION_LIFECYCLE; className = "Application Lifecycle"; activityId = 99; activityName = "Lockdown";
            }
            case AUDIT_SUPPRESSED -> {
                classUid = EVENT_LOG_ACTIVITY; className = "Event Log Activity"; activityId = 99; activityName = "Suppress";
            }
            case AUDIT_BUDGET_EXCEEDED -> {
                classUid = EVENT_LOG_ACTIVITY; className = "Event Log Activity"; activityId = 99; activityName = "Budget Exceeded";
            }
            default -> throw new IllegalStateException("no OCSF class for " + type);
        }
        boolean allowed = action == Action.ALLOWED;
        boolean violation = type.isViolation();
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("class_uid", classUid);
        m.put("class_name", className);
        m.put("category_uid", classUid / 1000);
        m.put("category_name", classUid / 1000 == 1 ? "System Activity" : "Application Activity");
        m.put("activity_id", activityId);
        m.put("activity_name", activityName);
        m.put("type_uid", classUid * 100L + activityId);
        m.put("type_name", className + ": " + activityName);
        m.put("disposition_id", allowed ? 1 : 2);
        m.put("disposition", allowed ? "Allowed" : "Blocked");
        int severity = violation ? 4 : type == Type.AUDIT_BUDGET_EXCEEDED ? 3 : 1;
        m.put("severity_id", severity);
        m.put("severity", switch (severity) {
            case 4 -> "High";
            case 3 -> "Medium";
            default -> "Informational";
        });
        m.put("status_id", allowed ? 1 : 2);
        m.put("status", allowed ? "Success" : "Failure");
        m.put("metadata", Map.of("version", SCHEMA_VERSION, "product", Map.of("name", "nojit", "vendor_name", "nojit")));
        return m;
    }

    private static int memoryActivity(String syscall) {
        if (syscall == null) return 99;
        return switch (syscall) {
            case "mmap", "mmap2", "mremap", "shmat", "memfd_create" -> 1;
            case "mprotect", "pkey_mprotect" -> 2;
            case "personality" -> 5;
            case "process_vm_writev", "ptrace", "write", "pwrite64", "pwritev", "pwritev2", "writev" -> 8;
            default -> 99;
        };
    }
}
