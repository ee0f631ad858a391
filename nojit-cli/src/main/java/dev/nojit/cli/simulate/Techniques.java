package dev.nojit.cli.simulate;

import dev.nojit.audit.AuditEvent.Type;
import dev.nojit.audit.budget.AuditBudget;
import dev.nojit.cli.simulate.Technique.Profile;
import dev.nojit.vkernel.policy.PolicyCheck;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The catalogue of {@code nojit simulate}: every technique, in the order of the table. The attack
 * programs (guests/attacks/*.c) implement them by name; docs/simulate.md explains each.
 */
public final class Techniques {
    private Techniques() {}

    private static final String PAYLOAD = "/tmp/payload";
    private static final String MEMFD = "/memfd:payload (deleted)";

    public static List<Technique> all() {
        List<Technique> t = new ArrayList<>();
        // ---- code entry points (attack-exec) ----
        t.add(exec("downloaded-elf", "execve /tmp/downloaded (ELF bytes from /data, chmod +x)", "execve", "/tmp/downloaded",
                "machine code from a 'download': ELF is never a listed executable"));
        t.add(exec("downloaded-wasm", "execve /tmp/payload (wasm from /data, chmod +x)", "execve", PAYLOAD,
                "a valid WebAssembly module whose hash the manifest does not list"));
        t.add(new Technique("written-script", "exec", Profile.KILL_PROCESS, "execve /tmp/evil.sh (#!/bin/sh, written, chmod +x)",
                target(Type.EXEC_DENIED, "execve", "/tmp/evil.sh"),
                "a shell script written at run time is no listed script", PolicyCheck.SCRIPT_LISTED));
        t.add(new Technique("unlisted-script-approved-interp", "exec", Profile.KILL_PROCESS,
                "execve /tmp/evil.sh (#!/bin/wali-echo, an approved interpreter)", target(Type.EXEC_DENIED, "execve", "/tmp/evil.sh"),
                "an approved interpreter does not make an unlisted #! script approved", PolicyCheck.SCRIPT_LISTED));
        t.add(new Technique("script-operand", "exec", Profile.MANIFEST_ONLY, "execve /bin/wali-echo /tmp/evil.sh",
                target(Type.CODE_LOAD_DENIED, "execve", "/tmp/evil.sh"),
                "manifest-only: an interpreter may only read scripts the manifest lists for it", PolicyCheck.INTERPRETER_CODE));
        t.add(new Technique("interpreter-inline-code", "exec", Profile.MANIFEST_ONLY, "execve /bin/wali-echo -c CODE",
                Expectation.violation(Type.CODE_LOAD_DENIED, "execve"),
                "manifest-only: inline code (sh -c) is code no manifest lists", PolicyCheck.INTERPRETER_CODE));
        t.add(exec("exec-symlink", "execve /tmp/link -> /tmp/payload", "execve", PAYLOAD,
                "a symlink resolves to the payload; the gate hashes what it resolves to"));
        t.add(exec("exec-hardlink", "execve /tmp/hard (hard link to the payload)", "execve", "/tmp/hard",
                "a second name for the same bytes: content addressing ignores names"));
        t.add(exec("exec-rename-chain", "execve /tmp/final (renamed twice)", "execve", "/tmp/final",
                "renames change the name, never the content hash"));
        t.add(exec("execveat-dirfd", "execveat(dirfd /tmp, \"payload\")", "execveat", PAYLOAD,
                "execveat relative to a directory descriptor goes through the same gate"));
        t.add(exec("execveat-empty-path", "execveat(fd, \"\", AT_EMPTY_PATH)", "execveat", PAYLOAD,
                "exec by descriptor (fexecve) hashes the open file"));
        t.add(exec("proc-self-fd", "execve /proc/self/fd/N", "execve", PAYLOAD,
                "/proc/self/fd/N resolves to the open file, which is hashed"));
        t.add(exec("memfd-execveat", "memfd_create + execveat(AT_EMPTY_PATH)", "execveat", MEMFD,
                "fileless exec: a memfd is a file like any other to the gate"));
        t.add(exec("memfd-proc-self-fd", "memfd_create + execve /proc/self/fd/N", "execve", MEMFD,
                "fileless exec through /proc: same file, same gate"));
        t.add(new Technique("swapped-interpreter", "exec", Profile.KILL_PROCESS,
                "execve /opt/tools/listed.sh after overwriting /bin/wali-echo",
                target(Type.EXEC_DENIED, "execve", "/opt/tools/listed.sh"),
                "a listed script runs only with the interpreter content the manifest names", PolicyCheck.SCRIPT_LISTED));
        t.add(new Technique("text-file-enoexec", "exec", Profile.KILL_PROCESS, "execve /tmp/notes (text, no #!, chmod +x)",
                new Expectation.Errno("ENOEXEC", 8),
                "not code: Linux says ENOEXEC too; under via-interpreter a shell may read it as data", null));
        t.add(new Technique("text-file-manifest-only", "exec", Profile.MANIFEST_ONLY, "execve /tmp/notes (text, no #!, chmod +x)",
                target(Type.EXEC_DENIED, "execve", "/tmp/notes"),
                "manifest-only: a shell would run the text as a script after ENOEXEC, so it is refused", PolicyCheck.EXEC_HASH_GATE));
        t.add(new Technique("noexec-mode", "exec", Profile.KILL_PROCESS, "execve /tmp/hello (approved bytes, mode 0644)",
                new Expectation.Errno("EACCES", 13), "no execute permission: the ordinary Unix answer", null));
        t.add(new Technique("exec-missing", "exec", Profile.KILL_PROCESS, "execve /no/such/program",
                new Expectation.Errno("ENOENT", 2), "nothing there: an ordinary errno, nothing to record", null));
        t.add(new Technique("exec-directory", "exec", Profile.KILL_PROCESS, "execve /tmp",
                new Expectation.Errno("EACCES", 13), "a directory is not a regular file", null));
        t.add(new Technique("exec-race", "exec", Profile.KILL_PROCESS, "execve /tmp/race while a child rewrites it",
                new Expectation.Race(),
                "the gate runs the image of the bytes it hashed, never bytes read again after the check", null));
        t.add(new Technique("kill-container-exec", "exec", Profile.KILL_CONTAINER, "execve /tmp/payload (kill-container)",
                new Expectation.Violation(Type.EXEC_DENIED, "execve", PAYLOAD, Map.of(), false),
                "onViolation kill-container: the whole container stops at the attempt", PolicyCheck.EXEC_HASH_GATE));
        // ---- malformed paths (attack-exec) ----
        t.add(new Technique("path-too-long", "exec", Profile.KILL_PROCESS, "execve of a 5000-byte path",
                new Expectation.Errno("ENAMETOOLONG", 36), "longer than PATH_MAX: refused before any lookup", null));
        t.add(exec("path-nul-truncated", "execve \"/tmp/payload\\0/bin/wali-hello\"", "execve", PAYLOAD,
                "the kernel reads the path up to the NUL, and gates that file"));
        t.add(exec("dotdot-escape", "execve ../../../../../../../../tmp/payload from /tmp", "execve", PAYLOAD,
                "'..' stops at the container's root; the file reached is gated"));
        t.add(new Technique("dotdot-host-binary", "exec", Profile.KILL_PROCESS, "execve /../../../../../usr/bin/env",
                new Expectation.Errno("ENOENT", 2), "no '..' chain leaves the container's file system", null));
        t.add(new Technique("symlink-loop", "exec", Profile.KILL_PROCESS, "execve /tmp/loop-a (a <-> b)",
                new Expectation.Errno("ELOOP", 40), "a symlink cycle ends in ELOOP, not in a hang", null));
        // ---- memory paths (attack-memory) ----
        t.add(memory("mmap-exec", "mmap PROT_READ|PROT_EXEC anonymous", "mmap", PolicyCheck.MMAP_PROT_EXEC,
                "linear memory is never executable"));
        t.add(memory("mmap-rwx", "mmap PROT_READ|PROT_WRITE|PROT_EXEC", "mmap", PolicyCheck.MMAP_PROT_EXEC,
                "the JIT pattern: writable and executable"));
        t.add(memory("mmap-file-exec", "mmap /etc/motd PROT_EXEC", "mmap", PolicyCheck.MMAP_PROT_EXEC,
                "mapping a file executable loads code from it"));
        t.add(memory("mprotect-exec", "mprotect RW -> R+X", "mprotect", PolicyCheck.MPROTECT_PROT_EXEC,
                "write code, then flip it to executable"));
        t.add(memory("pkey-mprotect", "pkey_mprotect R+X", "pkey_mprotect", PolicyCheck.MPROTECT_PROT_EXEC,
                "the same flip through the protection-key variant"));
        t.add(memory("mremap-mprotect", "mremap (move) then mprotect R+X", "mprotect", PolicyCheck.MPROTECT_PROT_EXEC,
                "moving a mapping does not shake off the check"));
        t.add(memory("personality-rie", "personality(READ_IMPLIES_EXEC)", "personality",
                PolicyCheck.PERSONALITY_READ_IMPLIES_EXEC, "would make every readable mapping executable"));
        t.add(memory("shmat-exec", "shmat(SHM_EXEC)", "shmat", PolicyCheck.SHMAT_SHM_EXEC,
                "executable System V shared memory"));
        t.add(memory("memfd-mfd-exec", "memfd_create(MFD_EXEC)", "memfd_create", PolicyCheck.MEMFD_EXEC,
                "asks for an executable memfd"));
        t.add(new Technique("proc-self-mem", "memory", Profile.KILL_PROCESS, "open /proc/self/mem O_RDWR",
                target(Type.CODE_LOAD_DENIED, "open", "/proc/1/mem"),
                "writing /proc/self/mem patches code past page protections", PolicyCheck.PROC_MEM_WRITE));
        t.add(new Technique("proc-parent-mem", "memory", Profile.KILL_PROCESS, "open /proc/PPID/mem O_WRONLY (child)",
                new Expectation.Violation(Type.CODE_LOAD_DENIED, "open", "/proc/1/mem", Map.of(), true),
                "patching another process's memory; the parent runs on", PolicyCheck.PROC_MEM_WRITE));
        t.add(forked("process-vm-writev", "process_vm_writev into the parent", "process_vm_writev", PolicyCheck.PROCESS_VM_WRITEV,
                "writes another process's memory"));
        t.add(forked("ptrace-poke", "ptrace(PTRACE_POKEDATA, parent)", "ptrace", PolicyCheck.PTRACE_WRITE,
                "writes another process's memory through ptrace"));
        t.add(forked("ptrace-attach", "ptrace(PTRACE_ATTACH, parent)", "ptrace", PolicyCheck.PTRACE_WRITE,
                "takes control of another process"));
        t.add(codeLoad("init-module", "init_module", "loads a kernel module"));
        t.add(codeLoad("finit-module", "finit_module", "loads a kernel module from a file"));
        t.add(codeLoad("kexec-load", "kexec_load", "loads a new kernel"));
        t.add(codeLoad("bpf-prog-load", "bpf", "loads a BPF program (BPF_PROG_LOAD)"));
        t.add(new Technique("kill-container-mmap", "memory", Profile.KILL_CONTAINER, "mmap PROT_EXEC (kill-container, sibling alive)",
                Expectation.violation(Type.MEMORY_EXEC_DENIED, "mmap"),
                "kill-container: the sibling process must never run on after the attempt", PolicyCheck.MMAP_PROT_EXEC));
        // ---- exhausting resources, then exec (attack-exhaust) ----
        t.add(exhaust("fork-bomb", "fork until EAGAIN, then execve the payload", "fork", -11,
                "a full process table must not make the gate fail open"));
        t.add(exhaust("memory-exhaust", "mmap until ENOMEM, then execve the payload", "mmap", -12,
                "out of memory, the gate still hashes and refuses"));
        t.add(exhaust("fd-exhaust", "open until EMFILE, then execve the payload", "open", -24,
                "with no descriptor left, exec is still checked"));
        t.add(exhaust("huge-argv", "execve with 3 MiB of argv (E2BIG), then plainly", "argv", -7,
                "an oversized argv is refused with E2BIG, and the next exec is still gated"));
        // ---- host-level calls the lockdown's filter refuses to the vkernel JVM (attack-host) ----
        t.add(host("userfaultfd", "userfaultfd(O_CLOEXEC)", "ENOSYS", 38, "user-space page-fault handling: never passed to the host"));
        t.add(host("io-uring-setup", "io_uring_setup(8, params)", "ENOSYS", 38, "a second syscall path no filter could see"));
        t.add(host("perf-event-open", "perf_event_open(software clock)", "ENOSYS", 38, "kernel profiling: a host attack surface"));
        t.add(host("mount-tmpfs", "mount none /tmp tmpfs", "ENOSYS", 38, "the container's file system is the bundle's; nothing mounts over it"));
        t.add(host("unshare-userns", "unshare(CLONE_NEWUSER|CLONE_NEWNS)", "ENOSYS", 38, "a user namespace with root in it"));
        t.add(host("setns", "setns(0, 0)", "ENOSYS", 38, "joining another namespace"));
        t.add(host("clone-newuser", "clone(CLONE_NEWUSER|SIGCHLD)", "ENOSYS", 38, "unshare by another door: a child in a new namespace"));
        t.add(host("clone3", "clone3 with CLONE_NEWUSER", "ENOSYS", 38, "clone's flags in memory, where a filter cannot read them"));
        t.add(host("pivot-root", "pivot_root /tmp /tmp", "ENOSYS", 38, "swapping the root file system"));
        t.add(host("keyctl", "keyctl(KEYCTL_GET_KEYRING_ID, session)", "ENOSYS", 38, "the host's key rings"));
        t.add(host("open-by-handle-at", "open_by_handle_at(AT_FDCWD, handle)", "ENOSYS", 38, "opening a host file by handle, past every path check"));
        t.add(host("process-vm-readv", "process_vm_readv from the parent (child)", "EPERM", 1, "reading another process's memory"));
        // ---- benign controls: the gate is not just refusing everything ----
        t.add(new Technique("control-approved-copy", "exec", Profile.KILL_PROCESS, "execve /tmp/hello-copy (approved bytes)",
                new Expectation.Allowed("/tmp/hello-copy"), "content addressing: a copy of an approved module is approved", null));
        t.add(new Technique("control-listed-script", "exec", Profile.KILL_PROCESS, "execve /opt/tools/listed.sh",
                new Expectation.Allowed("/opt/tools/listed.sh"), "a listed script runs with its listed interpreter", null));
        // ---- mount swap: old descriptors after a symlink swap on a rw host mount (issue 15: host access by descriptor) ----
        t.add(swap("mount-swap-fstat", "fstat(old fd) after a -> ../canary", "the size and mode of a host file outside the mount"));
        t.add(swap("mount-swap-proc-reopen", "open /proc/self/fd/N O_RDWR, read", "re-opening a stale host path through the planted link"));
        t.add(swap("mount-swap-fchmod", "fchmod(old fd, 04755)", "a setuid bit on a host file outside the mount"));
        t.add(swap("mount-swap-futimens", "utimensat(old fd, NULL, times)", "changing times of a host file outside the mount"));
        t.add(swap("mount-swap-getdents", "getdents64(old directory fd)", "listing a host directory outside the mount"));
        t.add(swap("mount-swap-linkat", "linkat /proc/self/fd/N AT_SYMLINK_FOLLOW", "hard-linking a host file from outside into the mount"));
        t.add(swap("mount-swap-write", "pwrite + ftruncate(old fd)", "overwriting a host file outside the mount"));
        t.add(new Technique("mount-swap-abs-symlink", "mountswap", Profile.KILL_PROCESS, "symlink(HOST/canary, /mnt/swap/a)",
                new Expectation.Contained("EPERM", 1), "a host symlink whose absolute target names the host outside the mount", null));
        // ---- the kernel's own signal machinery (issue 15: signals; attack-signals) ----
        t.add(new Technique("atomic-wait-kill", "signals", Profile.KILL_PROCESS,
                "SIGKILL to a child in memory.atomic.wait, wait4 polled for 10 s", new Expectation.Returns(9, "child died of SIGKILL"),
                "SIGKILL cannot be deferred: a guest waiting on an atomic must still die, and its parent see it", null));
        t.add(new Technique("nested-handler-storm", "signals", Profile.KILL_PROCESS,
                "SA_NODEFER handler raising itself, mmap PROT_EXEC at depths 1..1000 (children)",
                new Expectation.EveryAttempt(Type.MEMORY_EXEC_DENIED, "mmap"),
                "nested handlers must neither exhaust the host stack nor lose an event: past 256 levels SIGSEGV",
                PolicyCheck.MMAP_PROT_EXEC));
        // ---- the record of the run (issue 15: audit) ----
        t.add(new Technique("log-in-mount", "audit", Profile.KILL_PROCESS,
                "nojit run --mount over, under, beside the audit log (symlink, .., ro, attestation)", new Expectation.EvidenceRefused(),
                "a guest that reaches its own log can unlink it and write a shorter chain back: refused before it runs",
                PolicyCheck.EVIDENCE_OUT_OF_REACH));
        t.add(new Technique("audit-flood", "audit", Profile.KILL_PROCESS, "fork + execve, 16 arguments of 1 KiB, 40 rounds",
                new Expectation.Flood(new AuditBudget(8 << 10, 16)),
                "filling the host's disk through the log: past the burst events are counted, then the container is stopped",
                PolicyCheck.AUDIT_BUDGET));
        // ---- interpreter hooks for code loading (issue 16: execcheck; attack-execcheck) ----
        t.add(new Technique("exec-check-listed", "execcheck", Profile.KILL_PROCESS,
                "execveat(fd /bin/wali-hello, \"\", AT_EMPTY_PATH|AT_EXECVE_CHECK)", new Expectation.Returns(0, "0 (allowed)"),
                "the check answers yes for a listed executable, and starts nothing", null));
        t.add(new Technique("exec-check-listed-script", "execcheck", Profile.MANIFEST_ONLY,
                "execveat(fd /opt/tools/listed.sh, AT_EXECVE_CHECK)", new Expectation.Returns(0, "0 (allowed)"),
                "a listed script with its listed interpreter passes, as execve would start it", null));
        t.add(new Technique("exec-check-unlisted", "execcheck", Profile.KILL_PROCESS,
                "execveat(fd /tmp/evil.sh, AT_EXECVE_CHECK) (written, chmod +x)", new Expectation.Errno("EACCES", 13),
                "via-interpreter: refused as code, but an interpreter may read it as data there: no record", PolicyCheck.EXEC_CHECK));
        t.add(new Technique("exec-check-unlisted-manifest-only", "execcheck", Profile.MANIFEST_ONLY,
                "execveat(fd /tmp/evil.sh, AT_EXECVE_CHECK) (written, chmod +x)", target(Type.EXEC_DENIED, "execveat", "/tmp/evil.sh"),
                "manifest-only: asking to run unlisted code is the attempt, as an unlisted exec is", PolicyCheck.EXEC_CHECK));
        t.add(new Technique("exec-check-sourced-manifest-only", "execcheck", Profile.MANIFEST_ONLY,
                "execveat(fd /tmp/unlisted.sh, AT_EXECVE_CHECK) (text, mode 0644)",
                target(Type.EXEC_DENIED, "execveat", "/tmp/unlisted.sh"),
                "manifest-only: what `. /tmp/unlisted.sh` asks first; unlisted is a violation whatever the mode bits",
                PolicyCheck.EXEC_CHECK));
        t.add(new Technique("exec-check-memfd-manifest-only", "execcheck", Profile.MANIFEST_ONLY,
                "memfd_create + execveat(AT_EMPTY_PATH|AT_EXECVE_CHECK)", target(Type.EXEC_DENIED, "execveat", MEMFD),
                "a fileless module checked by descriptor is hashed like any file", PolicyCheck.EXEC_CHECK));
        t.add(new Technique("exec-check-directory", "execcheck", Profile.KILL_PROCESS, "execveat(fd /tmp, AT_EXECVE_CHECK)",
                new Expectation.Errno("EACCES", 13), "not a regular file: Linux's answer", null));
        t.add(new Technique("exec-check-pipe", "execcheck", Profile.KILL_PROCESS, "execveat(pipe fd, AT_EXECVE_CHECK)",
                new Expectation.Errno("EACCES", 13), "a pipe is no file to vet: code read from it is never approved", null));
        t.add(new Technique("exec-check-device", "execcheck", Profile.MANIFEST_ONLY, "execveat(fd /dev/null, AT_EXECVE_CHECK)",
                new Expectation.Errno("EACCES", 13), "a device is not a regular file, under manifest-only too", null));
        t.add(new Technique("exec-check-bad-flags", "execcheck", Profile.KILL_PROCESS, "execveat(AT_EXECVE_CHECK | 0x8)",
                new Expectation.Errno("EINVAL", 22), "an undefined flag bit is refused, never ignored", null));
        t.add(new Technique("securebits-locked", "execcheck", Profile.MANIFEST_ONLY, "prctl(PR_SET_SECUREBITS, 0)",
                new Expectation.Errno("EPERM", 1),
                "manifest-only: SECBIT_EXEC_RESTRICT_FILE and _DENY_INTERACTIVE are set and locked; clearing them fails",
                PolicyCheck.EXEC_SECUREBITS));
        t.add(new Technique("securebits-guest-sets", "execcheck", Profile.KILL_PROCESS, "prctl(PR_SET_SECUREBITS, 0xf00)",
                new Expectation.Returns(0xf00, "0xf00 read back"),
                "via-interpreter: the bits start clear and a guest may set and lock them itself", null));
        // ---- interpreter hooks in real interpreters (issue 16: hooks; InterpreterHookScripts) ----
        t.add(hook("sh-dot-unlisted", "sh", "ash: . /tmp/unlisted.sh (written at run time)", "/tmp/unlisted.sh",
                "BusyBox's ash asks AT_EXECVE_CHECK before `.` reads a file as code; unlisted is refused"));
        t.add(listed("sh-dot-listed", "sh", "ash: . /opt/tools/lib.sh (listed for /bin/sh)",
                "the check passes for a script listed for the asking shell, which then reads it"));
        t.add(hook("bash-source-unlisted", "bash", "bash: source /tmp/unlisted.bash (written at run time)", "/tmp/unlisted.bash",
                "bash asks the same before `source` and `.`"));
        t.add(listed("bash-source-listed", "bash", "bash: source /opt/tools/lib.bash (listed for /bin/bash)",
                "a listed file for bash passes the check and runs"));
        t.add(hook("lua-dofile-unlisted", "lua", "lua: dofile('/tmp/unlisted.lua')", "/tmp/unlisted.lua",
                "Lua asks before luaL_loadfilex reads a file: dofile and loadfile"));
        t.add(hook("lua-require-unlisted", "lua", "lua: require('unlistedmod') from /tmp", "/tmp/unlistedmod.lua",
                "require's Lua searcher loads through the same checked path"));
        t.add(listed("lua-listed", "lua", "lua: dofile and require of files listed for /bin/lua",
                "listed Lua files pass the check and load"));
        // ---- Python (issue 17): the python profile at exec, the open_code hook at import ----
        t.add(pythonExec("python-inline-code", "python3 -c CODE", "inline code: no manifest lists it"));
        t.add(pythonExec("python-stdin", "python3 - (code from stdin)", "code read from stdin is code no manifest lists"));
        t.add(pythonExec("python-startup-env", "PYTHONSTARTUP=/tmp/startup.py python3 /opt/tools/listed.py",
                "a variable that names code to run is refused whenever it is set, with a listed script too"));
        // Two lines stop this one, so no single check's mutation lets it through (null): the profile at
        // exec, and else CPython's own AT_EXECVE_CHECK of the operand it opens (exec_denied in execveat).
        t.add(new Technique("python-unlisted-script", "python-hooks", Profile.MANIFEST_ONLY,
                "python3 /tmp/unlisted.py (written at run time)",
                new Expectation.Violation(Type.CODE_LOAD_DENIED, "execve", "/tmp/unlisted.py", Map.of(), false),
                "a script operand must be listed for this interpreter; CPython checks the file it opens too", null));
        t.add(hook("python-import-unlisted", "python", "python: import unlistedmod from /tmp", "/tmp/unlistedmod.py",
                "CPython's open_code hook asks AT_EXECVE_CHECK before it reads a module file as code"));
        t.add(hook("python-pyc-unlisted", "python", "python: import a bare unlistedpyc.pyc from /tmp/pyc", "/tmp/pyc/unlistedpyc.pyc",
                "bytecode is code too: a .pyc goes through the same hook"));
        t.add(listed("python-listed", "python", "python: import listedmod and json (listed for /usr/bin/python3)",
                "listed modules and the listed stdlib zip pass the check and import"));
        return List.copyOf(t);
    }

    private static Technique hook(String name, String interpreter, String entry, String file, String why) {
        return new Technique(name, interpreter + "-hooks", Profile.MANIFEST_ONLY, entry,
                target(Type.EXEC_DENIED, "execveat", file), why, PolicyCheck.EXEC_CHECK);
    }

    /** CPython started by a listed Python script (os.execv) in a way the python profile refuses: the process is killed. */
    private static Technique pythonExec(String name, String entry, String why) {
        return new Technique(name, "python-hooks", Profile.MANIFEST_ONLY, entry,
                Expectation.violation(Type.CODE_LOAD_DENIED, "execve"), why, PolicyCheck.INTERPRETER_CODE);
    }

    private static Technique listed(String name, String interpreter, String entry, String why) {
        return new Technique(name, interpreter + "-hooks", Profile.MANIFEST_ONLY, entry,
                new Expectation.Returns(0, "0 (read and ran)"), why, null);
    }

    private static Technique swap(String name, String entry, String why) {
        return new Technique(name, "mountswap", Profile.KILL_PROCESS, entry, new Expectation.Contained(null, null), why, null);
    }

    private static Expectation.Violation target(Type type, String syscall, String target) {
        return new Expectation.Violation(type, syscall, target, Map.of(), false);
    }

    private static Technique exec(String name, String entry, String syscall, String target, String why) {
        return new Technique(name, "exec", Profile.KILL_PROCESS, entry, target(Type.EXEC_DENIED, syscall, target), why,
                PolicyCheck.EXEC_HASH_GATE);
    }

    private static Technique memory(String name, String entry, String syscall, PolicyCheck check, String why) {
        return new Technique(name, "memory", Profile.KILL_PROCESS, entry, Expectation.violation(Type.MEMORY_EXEC_DENIED, syscall),
                why, check);
    }

    private static Technique forked(String name, String entry, String syscall, PolicyCheck check, String why) {
        return new Technique(name, "memory", Profile.KILL_PROCESS, entry,
                new Expectation.Violation(Type.CODE_LOAD_DENIED, syscall, null, Map.of(), true), why, check);
    }

    private static Technique codeLoad(String name, String syscall, String why) {
        return new Technique(name, "memory", Profile.KILL_PROCESS, syscall, Expectation.violation(Type.CODE_LOAD_DENIED, syscall),
                why, PolicyCheck.KERNEL_CODE_LOAD);
    }

    private static Technique exhaust(String name, String entry, String step, long value, String why) {
        return new Technique(name, "exhaust", Profile.KILL_PROCESS, entry,
                new Expectation.Violation(Type.EXEC_DENIED, "execve", PAYLOAD, Map.of(step, value), false), why,
                PolicyCheck.EXEC_HASH_GATE);
    }

    private static Technique host(String name, String entry, String errno, int number, String why) {
        return new Technique(name, "host", Profile.KILL_PROCESS, entry, new Expectation.Errno(errno, number), why, null);
    }
}
