package dev.nojit.vkernel.policy;

import dev.nojit.audit.AuditEvent;
import dev.nojit.audit.AuditEvent.Action;
import dev.nojit.audit.AuditEvent.ProcessRef;
import dev.nojit.audit.AuditEvent.SyscallRef;
import dev.nojit.audit.AuditEvent.TargetRef;
import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.audit.AuditException;
import dev.nojit.audit.AuditSink;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.vkernel.Kernel;
import dev.nojit.vkernel.process.GuestControl;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.Program;
import dev.nojit.vkernel.process.Signals;
import dev.nojit.vkernel.process.WaitStatus;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The response half of the policy: every violation is recorded — durably, before the offender
 * runs again — and then the offender dies as if by SIGKILL ({@code onViolation: kill-process})
 * or the whole container stops ({@code kill-container}). Also records the lifecycle events
 * (container start/stop, each allowed exec, each process exit) so the log tells the story of a
 * run. If the audit log cannot be written the container stops: nothing runs unrecorded.
 */
public final class Enforcer {
    /** Longest argv element and most argv bytes copied into one event (argv may be 2 MiB). */
    static final int MAX_ARG_CHARS = 1024, MAX_ARGV_CHARS = 16 * 1024;

    private final Kernel kernel;
    private final AuditSink audit;
    private final Policy policy;
    private volatile String containerKill;

    public Enforcer(Kernel kernel, AuditSink audit, Policy policy) {
        this.kernel = kernel;
        this.audit = audit;
        this.policy = policy;
    }

    public Policy policy() {
        return policy;
    }

    public AuditSink audit() {
        return audit;
    }

    /** Why the policy stopped the whole container, or null if it did not. */
    public String containerKill() {
        return containerKill;
    }

    /** A violation by {@code p} in syscall {@code name}: recorded, then the response; throw the result. */
    public GuestControl respond(Process p, String name, long[] args, Violation v) {
        SyscallRef syscall = SyscallArgs.of(p, name, args);
        boolean wholeContainer = "kill-container".equals(policy.onViolation());
        Action action = wholeContainer ? Action.KILL_CONTAINER : Action.KILL_PROCESS;
        AuditEvent event = new AuditEvent(v.type(), process(p), syscall, v.target(), action, v.reason(), Map.of());
        p.recordingViolation(() -> record(event, true));
        kernel.log("pid " + p.pid() + " (" + p.exePath() + "): killed by policy (" + v.type().json() + "): " + v.reason());
        if (wholeContainer) stopContainer(v.type().json() + " by pid " + p.pid() + ": " + v.reason());
        return new GuestControl.Exit(WaitStatus.signaled(Signals.SIGKILL));
    }

    /**
     * A violation while starting process 1 (nothing runs yet): recorded, and the start is
     * refused. The process fields describe the process that would have started.
     */
    public void refuseStart(String path, List<byte[]> argv, SyscallRef syscall, Violation v) {
        ProcessRef who = new ProcessRef(1, 0, path, null, strings(argv));
        record(new AuditEvent(v.type(), who, syscall, v.target(), Action.DENIED, v.reason(), Map.of()), true);
    }

    /**
     * execve succeeded (or process 1 starts): the new image, as the gate approved it. The target
     * is the module; the scripts the gate checked for it (a {@code #!} script, script operands)
     * are listed in {@code scripts}.
     */
    public void exec(Process p, Program program, SyscallRef syscall) {
        ProcessRef who = new ProcessRef(p.pid(), p.ppid(), program.path(), program.sha256(), strings(program.argv()));
        Map<String, Object> details = new LinkedHashMap<>();
        if (!program.pins().isEmpty()) {
            details.put("scripts", program.pins().stream()
                    .map(pin -> Map.<String, Object>of("path", pin.path(), "sha256", pin.sha256())).toList());
        }
        record(new AuditEvent(Type.EXEC, who, syscall, new TargetRef(program.path(), program.sha256()), Action.ALLOWED,
                "listed in the manifest", details), false);
    }

    /** The policy in force, as the container_start event states it. */
    public Map<String, Object> policyDetails() {
        Map<String, Object> out = new LinkedHashMap<>();
        for (String key : Policy.KEYS) out.put(key, policy.get(key));
        return out;
    }

    /** A process ended (after its last syscall; before its parent can see it). */
    public void processExit(Process p, int waitStatus) {
        Map<String, Object> details = new LinkedHashMap<>();
        if (WaitStatus.isExited(waitStatus)) details.put("exit_code", (long) WaitStatus.exitCode(waitStatus));
        else details.put("signal", (long) WaitStatus.termSignal(waitStatus));
        record(new AuditEvent(Type.PROCESS_EXIT, process(p), null, null, Action.ALLOWED, null, details), false);
    }

    public void containerStart(Map<String, Object> details) {
        record(new AuditEvent(Type.CONTAINER_START, null, null, null, Action.ALLOWED, null, details), true);
    }

    public void containerStop(Map<String, Object> details) {
        record(new AuditEvent(Type.CONTAINER_STOP, null, null, null, Action.ALLOWED, null, details), true);
    }

    private void record(AuditEvent e, boolean durable) {
        try {
            audit.append(e, durable);
        } catch (AuditException | java.io.UncheckedIOException | StackOverflowError ex) {
            // Fail closed: nothing may run that the log cannot record. A stack overflow on the way (the guest's
            // signal handlers are bounded so that it cannot happen, Process.MAX_HANDLER_NESTING) counts as a
            // failed write: whether the event reached the log is unknown. The audit budget says why itself.
            String why = ex instanceof dev.nojit.audit.budget.AuditBudgetExceeded ? ex.getMessage() : "the audit log failed: " + ex.getMessage();
            kernel.log(why + ": stopping the container");
            stopContainer(why);
            throw new GuestControl.Exit(WaitStatus.signaled(Signals.SIGKILL));
        }
    }

    private void stopContainer(String why) {
        if (containerKill == null) containerKill = why;
        kernel.processes().killAll();
    }

    /** The audit view of a process: who it is now. */
    public static ProcessRef process(Process p) {
        Program prog = p.program();
        return new ProcessRef(p.pid(), p.ppid(), p.exePath(), prog == null ? null : prog.sha256(),
                prog == null ? List.of() : strings(prog.argv()));
    }

    /** argv as strings for an event, bounded (each element and the total; a cut is marked "…"). */
    static List<String> strings(List<byte[]> argv) {
        List<String> out = new ArrayList<>();
        int total = 0;
        for (byte[] a : argv) {
            if (total >= MAX_ARGV_CHARS) {
                out.add("… (" + (argv.size() - out.size()) + " more)");
                break;
            }
            // Decode no more than can be kept (an argument may be 128 KiB; UTF-8 is at most 4 bytes a char).
            String s = new String(a, 0, Math.min(a.length, 4 * MAX_ARG_CHARS), StandardCharsets.UTF_8);
            if (s.length() > MAX_ARG_CHARS || a.length > 4 * MAX_ARG_CHARS) s = s.substring(0, Math.min(s.length(), MAX_ARG_CHARS)) + "…";
            total += s.length();
            out.add(s);
        }
        return out;
    }
}
