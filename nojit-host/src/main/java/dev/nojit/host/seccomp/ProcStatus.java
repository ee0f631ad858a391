package dev.nojit.host.seccomp;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.OptionalInt;

/**
 * The lockdown fields of {@code /proc/<pid>/status} (proc(5)): lines "Name:\tvalue".
 * {@code Seccomp}: 0 none, 1 strict, 2 filter. {@code NoNewPrivs}: 0 or 1.
 * {@code Seccomp_filters}: how many filters are attached (absent on old kernels).
 * The values are those of the thread-group leader of that process. Read with java.io, whose
 * native library is loaded from the JVM's start: under the filter, a first use of NIO would
 * load libnio.so, and mapping its code (PROT_EXEC) kills the process.
 */
public record ProcStatus(int seccomp, int noNewPrivs, OptionalInt seccompFilters) {
    public static final int SECCOMP_MODE_FILTER = 2;

    /**
     * This process's state, from /proc/self/status when it may be read, else (a process confined
     * by Landlock without /proc) from prctl(PR_GET_SECCOMP) and prctl(PR_GET_NO_NEW_PRIVS), which
     * answer for the calling thread; the filter count is then unknown.
     */
    public static ProcStatus selfOrPrctl() {
        try {
            return self();
        } catch (RuntimeException confined) {
            // no /proc under Landlock: ask the kernel directly
        }
        int mode = dev.nojit.host.kernel.LinuxCalls.prctl("prctl(PR_GET_SECCOMP)", PR_GET_SECCOMP, 0, 0, 0, 0);
        int nnp = dev.nojit.host.kernel.LinuxCalls.prctl("prctl(PR_GET_NO_NEW_PRIVS)", dev.nojit.host.kernel.LinuxCalls.PR_GET_NO_NEW_PRIVS, 0, 0, 0, 0);
        return new ProcStatus(mode, nnp, OptionalInt.empty());
    }

    private static final int PR_GET_SECCOMP = 21;

    public static ProcStatus self() {
        return read("/proc/self/status");
    }

    public static ProcStatus of(long pid) {
        return read("/proc/" + pid + "/status");
    }

    static ProcStatus read(String file) {
        try (FileInputStream in = new FileInputStream(file)) {
            return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("reading " + file, e);
        }
    }

    static ProcStatus parse(String text) {
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) fields.put(line.substring(0, colon), line.substring(colon + 1).trim());
        }
        String filters = fields.get("Seccomp_filters");
        return new ProcStatus(field(fields, "Seccomp"), field(fields, "NoNewPrivs"),
                filters == null ? OptionalInt.empty() : OptionalInt.of(Integer.parseInt(filters)));
    }

    private static int field(Map<String, String> fields, String name) {
        String v = fields.get(name);
        if (v == null) throw new IllegalStateException("no " + name + " field in /proc status (kernel without seccomp?)");
        return Integer.parseInt(v);
    }

    /** Seccomp in filter mode and no_new_privs set: what the vkernel must show. */
    public boolean filtered() {
        return seccomp == SECCOMP_MODE_FILTER && noNewPrivs == 1;
    }
}
