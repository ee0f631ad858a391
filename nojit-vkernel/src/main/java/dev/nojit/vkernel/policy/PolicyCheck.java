package dev.nojit.vkernel.policy;

/**
 * The named checks of the no-JIT policy: each one place where the vkernel refuses a way to run
 * code that the manifest does not list, or where nojit keeps the record of a run out of the
 * guest's hands. Named so that a test build can switch one off
 * ({@link PolicyChecks}) and prove, with {@code nojit simulate}, that some attack then gets
 * through — i.e. that no check is dead weight and the simulation would notice its removal.
 */
public enum PolicyCheck {
    /** execve/execveat/process 1: content the manifest does not list as an executable is refused. */
    EXEC_HASH_GATE,
    /** a {@code #!} script must be listed, for the interpreter its {@code #!} line names. */
    SCRIPT_LISTED,
    /** {@code scripts: manifest-only}: inline code, stdin code and unlisted script operands of an interpreter. */
    INTERPRETER_CODE,
    /** mmap with PROT_EXEC. */
    MMAP_PROT_EXEC,
    /** mprotect and pkey_mprotect with PROT_EXEC. */
    MPROTECT_PROT_EXEC,
    /** shmat with SHM_EXEC. */
    SHMAT_SHM_EXEC,
    /** memfd_create with MFD_EXEC. */
    MEMFD_EXEC,
    /** personality(READ_IMPLIES_EXEC). */
    PERSONALITY_READ_IMPLIES_EXEC,
    /** opening /proc/PID/mem for writing. */
    PROC_MEM_WRITE,
    /** process_vm_writev. */
    PROCESS_VM_WRITEV,
    /** the ptrace requests that write another process or make it a tracee. */
    PTRACE_WRITE,
    /** init_module, finit_module, kexec_load, kexec_file_load, bpf(BPF_PROG_LOAD). */
    KERNEL_CODE_LOAD,
    // ---- interpreter hooks for code loading (issue 16: execcheck) ----
    /** execveat(AT_EXECVE_CHECK): a file that is no listed executable or script is refused (a violation under manifest-only). */
    EXEC_CHECK,
    /** {@code scripts: manifest-only}: every process starts with the exec securebits set and locked. */
    EXEC_SECUREBITS,
    // ---- the record of the run (issue 15: audit) ----
    /** nojit run: the audit log and attestation lie out of the guest's reach (no mount over or under them). */
    EVIDENCE_OUT_OF_REACH,
    /** the per-container audit budget: a flood is aggregated, then the container stopped. */
    AUDIT_BUDGET
}
