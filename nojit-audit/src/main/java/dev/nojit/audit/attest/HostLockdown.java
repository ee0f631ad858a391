package dev.nojit.audit.attest;

import dev.nojit.bundle.Sha256;

import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * The host lockdown actually in force for a run's vkernel, as the shim observed it after the
 * lockdown was applied (SPEC §6). This class only models and validates the statement; the shim
 * fills it in, reading {@code /proc/<vkernel pid>/status} back where the kernel reports a value
 * ({@code NoNewPrivs: 1}, {@code Seccomp: 2}) rather than restating what it asked for.
 *
 * @param mode       {@code strict} or {@code off} ({@code --host-lockdown})
 * @param seccomp    the seccomp filter of the vkernel
 * @param shimSeccomp the seccomp filter the shim (the process that relays and signs) installed on
 *                   itself after spawning the vkernel, read back from its own status
 * @param landlock   the Landlock ruleset
 * @param noNewPrivs no_new_privs is set on the vkernel
 * @param jvm        the vkernel JVM's JIT and code-cache settings
 */
public record HostLockdown(String mode, Seccomp seccomp, Seccomp shimSeccomp, Landlock landlock, boolean noNewPrivs, Jvm jvm) {
    public static final Set<String> MODES = Set.of("strict", "off");

    public HostLockdown {
        require(MODES.contains(mode), "hostLockdown.mode must be strict or off, not " + mode);
        Objects.requireNonNull(seccomp, "seccomp");
        Objects.requireNonNull(shimSeccomp, "shimSeccomp");
        Objects.requireNonNull(landlock, "landlock");
        Objects.requireNonNull(jvm, "jvm");
    }

    /**
     * @param installed a filter is installed on the vkernel (all threads, TSYNC)
     * @param sha256    SHA-256 (hex) of the installed classic-BPF program, the bytes handed to
     *                  seccomp(2) (8 bytes per instruction, as struct sock_filter); null when none
     * @param rules     how many rules of the filter's table it was compiled from; 0 when none
     */
    public record Seccomp(boolean installed, String sha256, int rules) {
        public Seccomp {
            if (installed) {
                require(Sha256.isHex(sha256), "hostLockdown.seccomp.sha256 must be 64 lowercase hex digits when a filter is installed");
                require(rules > 0, "hostLockdown.seccomp.rules must be positive when a filter is installed");
            } else {
                require(sha256 == null, "hostLockdown.seccomp.sha256 must be absent when no filter is installed");
                require(rules == 0, "hostLockdown.seccomp.rules must be 0 when no filter is installed");
            }
        }

        public static Seccomp none() {
            return new Seccomp(false, null, 0);
        }
    }

    /**
     * @param abi      the Landlock ABI version the kernel reported (0: Landlock not available)
     * @param enforced a ruleset is enforced on the vkernel (applied on the thread that spawned it)
     * @param rules    the ruleset's path rules, in the order they were added; empty when not enforced
     */
    public record Landlock(int abi, boolean enforced, List<Rule> rules) {
        public Landlock {
            require(abi >= 0, "hostLockdown.landlock.abi must not be negative");
            rules = List.copyOf(rules);
            if (enforced) require(abi >= 1, "hostLockdown.landlock.abi must be at least 1 when a ruleset is enforced");
            else require(rules.isEmpty(), "hostLockdown.landlock.rules must be empty when no ruleset is enforced");
        }

        public static Landlock none(int abi) {
            return new Landlock(abi, false, List.of());
        }
    }

    /**
     * One Landlock path rule: {@code path} (absolute, on the host) and the access rights granted
     * beneath it, named as the LANDLOCK_ACCESS_FS_* flags in lower case without the prefix
     * ({@link #RIGHTS}), in that table's order.
     */
    public record Rule(String path, List<String> access) {
        /** Landlock's filesystem rights (landlock(7)), in bit order. */
        public static final List<String> RIGHTS = List.of("execute", "write_file", "read_file", "read_dir", "remove_dir",
                "remove_file", "make_char", "make_dir", "make_reg", "make_sock", "make_fifo", "make_block", "make_sym",
                "refer", "truncate", "ioctl_dev");

        public Rule {
            require(path != null && path.startsWith("/"), "hostLockdown.landlock.rules: path must be absolute, not " + path);
            access = List.copyOf(access);
            require(!access.isEmpty(), "hostLockdown.landlock.rules: " + path + " grants no access");
            int last = -1;
            for (String right : access) {
                int at = RIGHTS.indexOf(right);
                require(at >= 0, "hostLockdown.landlock.rules: " + path + ": unknown access right '" + right + "'");
                require(at > last, "hostLockdown.landlock.rules: " + path + ": access rights must be distinct and in bit order");
                last = at;
            }
        }
    }

    /**
     * @param jit   {@code on} (HotSpot's JIT with a fixed-size code cache) or {@code off} ({@code -Xint}: no host code generation)
     * @param flags the JVM options of the vkernel that concern code generation and memory, exactly as
     *              passed ({@code -XX:ReservedCodeCacheSize=48m}, {@code -XX:InitialCodeCacheSize=48m},
     *              {@code -Xint}, {@code --illegal-native-access=deny}, …), in the order passed
     * @param nativeAccess the code the vkernel JVM lets call native code
     * @param aotCacheSha256 SHA-256 of the JDK AOT cache (JEP 483: classes loaded and linked ahead of time,
     *              method profiles; no compiled code) the vkernel JVM started from; null when it used none
     * @param shimAotCacheSha256 the same for the shim's JVM (the process that relays, logs and signs)
     */
    public record Jvm(String jit, List<String> flags, NativeAccess nativeAccess, String aotCacheSha256, String shimAotCacheSha256) {
        public Jvm {
            require("on".equals(jit) || "off".equals(jit), "hostLockdown.jvm.jit must be on or off, not " + jit);
            flags = List.copyOf(flags);
            for (String f : flags) require(f != null && !f.isEmpty(), "hostLockdown.jvm.flags must not hold an empty flag");
            Objects.requireNonNull(nativeAccess, "nativeAccess");
            require(aotCacheSha256 == null || Sha256.isHex(aotCacheSha256), "hostLockdown.jvm.aotCacheSha256 must be 64 lowercase hex digits");
            require(shimAotCacheSha256 == null || Sha256.isHex(shimAotCacheSha256),
                    "hostLockdown.jvm.shimAotCacheSha256 must be 64 lowercase hex digits");
        }

        /** Neither JVM started from an AOT cache. */
        public Jvm(String jit, List<String> flags, NativeAccess nativeAccess) {
            this(jit, flags, nativeAccess, null, null);
        }
    }

    /**
     * Who may call native code in the vkernel: a named module ({@code dev.nojit.host}) with the
     * SHA-256 of its code (its jar, or for a class directory the digest of its sorted file list with
     * each file's SHA-256), or {@value #CLASS_PATH} — the whole class path, when the module could not
     * be loaded on its own — with no digest.
     */
    public record NativeAccess(String module, String sha256) {
        public static final String CLASS_PATH = "ALL-UNNAMED";

        public NativeAccess {
            require(module != null && !module.isEmpty(), "hostLockdown.jvm.nativeAccess.module must not be empty");
            if (module.equals(CLASS_PATH)) require(sha256 == null, "hostLockdown.jvm.nativeAccess.sha256 must be absent for " + CLASS_PATH);
            else require(Sha256.isHex(sha256), "hostLockdown.jvm.nativeAccess.sha256 must be 64 lowercase hex digits for a module");
        }
    }

    static void require(boolean ok, String problem) {
        if (!ok) throw new IllegalArgumentException(problem);
    }
}
