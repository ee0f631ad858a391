package dev.nojit.vkernel.policy;

import dev.nojit.audit.AuditEvent.SyscallRef;
import dev.nojit.bundle.verify.WaliInterface;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.Process;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Decodes a syscall's raw arguments for the audit log: named as in the Linux prototype, flags
 * as lists of their names, paths read from guest memory (best effort: a bad pointer is shown as
 * the number). Syscalls without a description here are shown as {@code arg0..arg5}.
 */
public final class SyscallArgs {
    private SyscallArgs() {}

    private enum Kind { INT, HEX, SIZE, PATH, PROT, MAP, OPEN, SHM, MFD, PERSONA, PTRACE, AT }

    private record Param(String name, Kind kind) {}

    private static final Map<String, List<Param>> PARAMS = Map.ofEntries(
            Map.entry("mmap", List.of(p("addr", Kind.HEX), p("length", Kind.SIZE), p("prot", Kind.PROT), p("flags", Kind.MAP), p("fd", Kind.INT), p("offset", Kind.INT))),
            Map.entry("mprotect", List.of(p("addr", Kind.HEX), p("length", Kind.SIZE), p("prot", Kind.PROT))),
            Map.entry("pkey_mprotect", List.of(p("addr", Kind.HEX), p("length", Kind.SIZE), p("prot", Kind.PROT), p("pkey", Kind.INT))),
            Map.entry("personality", List.of(p("persona", Kind.PERSONA))),
            Map.entry("shmat", List.of(p("shmid", Kind.INT), p("shmaddr", Kind.HEX), p("shmflg", Kind.SHM))),
            Map.entry("memfd_create", List.of(p("name", Kind.PATH), p("flags", Kind.MFD))),
            Map.entry("open", List.of(p("pathname", Kind.PATH), p("flags", Kind.OPEN), p("mode", Kind.INT))),
            Map.entry("openat", List.of(p("dirfd", Kind.INT), p("pathname", Kind.PATH), p("flags", Kind.OPEN), p("mode", Kind.INT))),
            Map.entry("creat", List.of(p("pathname", Kind.PATH), p("mode", Kind.INT))),
            Map.entry("process_vm_writev", List.of(p("pid", Kind.INT), p("local_iov", Kind.HEX), p("liovcnt", Kind.INT), p("remote_iov", Kind.HEX), p("riovcnt", Kind.INT), p("flags", Kind.INT))),
            Map.entry("ptrace", List.of(p("request", Kind.PTRACE), p("pid", Kind.INT), p("addr", Kind.HEX), p("data", Kind.HEX))),
            Map.entry("execve", List.of(p("pathname", Kind.PATH))),
            Map.entry("execveat", List.of(p("dirfd", Kind.INT), p("pathname", Kind.PATH), p("argv", Kind.HEX), p("envp", Kind.HEX), p("flags", Kind.AT))));

    private static Param p(String name, Kind kind) {
        return new Param(name, kind);
    }

    /** The audit record of syscall {@code name} called by {@code p} with {@code args}. */
    public static SyscallRef of(Process p, String name, long[] args) {
        Map<String, Object> out = new LinkedHashMap<>();
        List<Param> params = PARAMS.get(name);
        if (params == null) {
            for (int i = 0; i < Math.min(args.length, 6); i++) out.put("arg" + i, args[i]);
        } else {
            for (int i = 0; i < params.size() && i < args.length; i++) out.put(params.get(i).name(), decode(p, params.get(i).kind(), args[i]));
        }
        return ref(name, out);
    }

    /** A record with arguments the caller decoded itself. */
    public static SyscallRef ref(String name, Map<String, Object> args) {
        return new SyscallRef(name, WaliInterface.syscallNumbers().getOrDefault(name, -1), args);
    }

    private static Object decode(Process p, Kind kind, long v) {
        return switch (kind) {
            case INT -> (long) (int) v;
            case SIZE -> v;
            case HEX -> "0x" + Long.toHexString(v);
            case PATH -> readString(p, v);
            case PROT -> bits((int) v, PROT_NAMES, "PROT_NONE");
            case MAP -> bits((int) v, MAP_NAMES, "0");
            case OPEN -> openFlags((int) v);
            case SHM -> bits((int) v, SHM_NAMES, "0");
            case MFD -> bits((int) v, MFD_NAMES, "0");
            case PERSONA -> bits((int) v, PERSONA_NAMES, "PER_LINUX");
            case PTRACE -> ptraceName((int) v);
            case AT -> bits((int) v, AT_NAMES, "0");
        };
    }

    private static Object readString(Process p, long ptr) {
        try {
            return p.memory().readCString(GuestMemory.ptr(ptr), 4095);
        } catch (RuntimeException e) {
            return "0x" + Long.toHexString(ptr);
        }
    }

    static final Map<Integer, String> PROT_NAMES = Map.of(1, "PROT_READ", 2, "PROT_WRITE", 4, "PROT_EXEC",
            0x01000000, "PROT_GROWSDOWN", 0x02000000, "PROT_GROWSUP");
    static final Map<Integer, String> MAP_NAMES = Map.ofEntries(Map.entry(1, "MAP_SHARED"), Map.entry(2, "MAP_PRIVATE"),
            Map.entry(0x10, "MAP_FIXED"), Map.entry(0x20, "MAP_ANONYMOUS"), Map.entry(0x100, "MAP_GROWSDOWN"),
            Map.entry(0x800, "MAP_DENYWRITE"), Map.entry(0x1000, "MAP_EXECUTABLE"), Map.entry(0x2000, "MAP_LOCKED"),
            Map.entry(0x4000, "MAP_NORESERVE"), Map.entry(0x8000, "MAP_POPULATE"), Map.entry(0x10000, "MAP_NONBLOCK"),
            Map.entry(0x20000, "MAP_STACK"), Map.entry(0x40000, "MAP_HUGETLB"), Map.entry(0x80000, "MAP_SYNC"),
            Map.entry(0x100000, "MAP_FIXED_NOREPLACE"));
    static final Map<Integer, String> SHM_NAMES = Map.of(010000, "SHM_RDONLY", 020000, "SHM_RND", 040000, "SHM_REMAP", 0100000, "SHM_EXEC");
    static final Map<Integer, String> MFD_NAMES = Map.of(1, "MFD_CLOEXEC", 2, "MFD_ALLOW_SEALING", 4, "MFD_HUGETLB",
            8, "MFD_NOEXEC_SEAL", 0x10, "MFD_EXEC");
    static final Map<Integer, String> PERSONA_NAMES = Map.of(0x0040000, "ADDR_NO_RANDOMIZE", 0x0400000, "READ_IMPLIES_EXEC",
            0x0800000, "ADDR_LIMIT_32BIT", 0x0200000, "MMAP_PAGE_ZERO", 0x4000000, "SHORT_INODE", 0x1000000, "WHOLE_SECONDS",
            0x2000000, "STICKY_TIMEOUTS", 0x8000000, "ADDR_LIMIT_3GB", 0x0100000, "FDPIC_FUNCPTRS", 0x0020000, "UNAME26");
    static final Map<Integer, String> AT_NAMES = Map.of(0x100, "AT_SYMLINK_NOFOLLOW", 0x1000, "AT_EMPTY_PATH", 0x10000, "AT_EXECVE_CHECK");
    static final Map<Integer, String> PTRACE_NAMES = Map.ofEntries(Map.entry(0, "PTRACE_TRACEME"), Map.entry(1, "PTRACE_PEEKTEXT"),
            Map.entry(2, "PTRACE_PEEKDATA"), Map.entry(3, "PTRACE_PEEKUSER"), Map.entry(4, "PTRACE_POKETEXT"),
            Map.entry(5, "PTRACE_POKEDATA"), Map.entry(6, "PTRACE_POKEUSER"), Map.entry(7, "PTRACE_CONT"), Map.entry(8, "PTRACE_KILL"),
            Map.entry(12, "PTRACE_GETREGS"), Map.entry(13, "PTRACE_SETREGS"), Map.entry(15, "PTRACE_SETFPREGS"),
            Map.entry(16, "PTRACE_ATTACH"), Map.entry(17, "PTRACE_DETACH"), Map.entry(0x4203, "PTRACE_SETSIGINFO"),
            Map.entry(0x4205, "PTRACE_SETREGSET"), Map.entry(0x4206, "PTRACE_SEIZE"));

    /** A ptrace request's name (PTRACE_POKEDATA), or its number. */
    public static String ptraceName(int request) {
        return PTRACE_NAMES.getOrDefault(request, Integer.toString(request));
    }

    /** The names of the set bits of {@code v}; an unnamed remainder as hex; {@code zero} when none. */
    static List<String> bits(int v, Map<Integer, String> names, String zero) {
        List<String> out = new ArrayList<>();
        int rest = v;
        for (int bit = 0; bit < 32; bit++) {
            int m = 1 << bit;
            if ((v & m) != 0 && names.containsKey(m)) {
                out.add(names.get(m));
                rest &= ~m;
            }
        }
        if (rest != 0) out.add("0x" + Integer.toHexString(rest));
        if (out.isEmpty()) out.add(zero);
        return out;
    }

    private static List<String> openFlags(int v) {
        List<String> out = new ArrayList<>();
        out.add(switch (v & 3) {
            case 0 -> "O_RDONLY";
            case 1 -> "O_WRONLY";
            case 2 -> "O_RDWR";
            default -> "O_ACCMODE";
        });
        out.addAll(bits(v & ~3, OPEN_NAMES, "O_RDONLY"));
        if (out.size() > 1 && out.getLast().equals("O_RDONLY")) out.removeLast();
        return out;
    }

    static final Map<Integer, String> OPEN_NAMES = Map.ofEntries(Map.entry(0100, "O_CREAT"), Map.entry(0200, "O_EXCL"),
            Map.entry(0400, "O_NOCTTY"), Map.entry(01000, "O_TRUNC"), Map.entry(02000, "O_APPEND"), Map.entry(04000, "O_NONBLOCK"),
            Map.entry(010000, "O_DSYNC"), Map.entry(020000, "O_ASYNC"), Map.entry(040000, "O_DIRECT"), Map.entry(0200000, "O_DIRECTORY"),
            Map.entry(0400000, "O_NOFOLLOW"), Map.entry(01000000, "O_NOATIME"), Map.entry(02000000, "O_CLOEXEC"),
            Map.entry(010000000, "O_PATH"), Map.entry(020000000, "O_TMPFILE"));
}
