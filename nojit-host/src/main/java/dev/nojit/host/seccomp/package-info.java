/**
 * The vkernel's seccomp filter. {@link dev.nojit.host.seccomp.SeccompPolicy#vkernel()} is the rule
 * table to audit; {@link dev.nojit.host.seccomp.BpfCompiler} turns it into classic BPF;
 * {@link dev.nojit.host.seccomp.BpfProgram#sha256Hex()} is the hash the attestation states;
 * {@link dev.nojit.host.seccomp.SeccompInstaller#installVkernelFilter()} installs it on every
 * thread (no_new_privs + TSYNC) and reads {@code /proc/self/status} back.
 *
 * <p>The JVM that installs it must run with {@code -XX:InitialCodeCacheSize} equal to
 * {@code -XX:ReservedCodeCacheSize} (or {@code -Xint}) and must have loaded every native library
 * it will use: afterwards any new executable mapping kills the process with SIGSYS.
 */
package dev.nojit.host.seccomp;
