package dev.nojit.bundle.verify;

import com.dylibso.chicory.wasm.types.FunctionType;
import com.dylibso.chicory.wasm.types.ValType;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * The WALI interface (module {@code wali}): one import {@code SYS_<name>} per x86-64 Linux
 * syscall, plus WALI's support imports. WALI maps every syscall the same way: pointers,
 * int, unsigned and size_t arguments are i32, long and off_t are i64, the result is one i64
 * (a negative errno on failure); at most six arguments. Any Linux syscall name is accepted,
 * including ones the vkernel will refuse or answer with -ENOSYS, so that a program's import
 * list never has to be edited before it can be bundled.
 */
public final class WaliInterface {
    static final String MODULE = "wali";
    private static final String SYSCALL_PREFIX = "SYS_";
    private static final int MAX_SYSCALL_ARGS = 6;
    /**
     * The syscalls that make a new process (or thread) from a copy of the caller's state: a module importing one
     * stays on the interpreter in AOT mode ({@code BundleBuilder}), since only the interpreter's frames are data.
     */
    public static final java.util.Set<String> FORKING = java.util.Set.of("SYS_fork", "SYS_vfork", "SYS_clone", "SYS_clone3");
    private static final java.util.Set<String> NO_RETURN = java.util.Set.of("SYS_exit", "SYS_exit_group");

    private static final Map<String, Signature> SUPPORT = Map.ofEntries(
            Map.entry("__init", Signature.parse(">i")),
            Map.entry("__deinit", Signature.parse(">i")),
            Map.entry("__proc_exit", Signature.parse("i>")),
            Map.entry("__cl_get_argc", Signature.parse(">i")),
            Map.entry("__cl_get_argv_len", Signature.parse("i>i")),
            Map.entry("__cl_copy_argv", Signature.parse("ii>i")),
            Map.entry("__get_init_envfile", Signature.parse("ii>i")),
            Map.entry("setjmp", Signature.parse("i>i")),
            Map.entry("sigsetjmp", Signature.parse("ii>i")),
            Map.entry("longjmp", Signature.parse("ii>")),
            Map.entry("__wasm_thread_spawn", Signature.parse("ii>i")));

    private static final Map<String, Integer> SYSCALLS = loadSyscalls();

    private WaliInterface() {}

    /** x86-64 syscall numbers by name (e.g. "write" → 1), for audit records and handlers. */
    public static Map<String, Integer> syscallNumbers() {
        return SYSCALLS;
    }

    /** Why this import is refused, or empty if WALI defines it with this signature. */
    static Optional<String> check(String name, FunctionType type) {
        Signature support = SUPPORT.get(name);
        if (support != null) {
            return support.matches(type) ? Optional.empty()
                    : Optional.of("has signature " + Signature.describe(type) + ", WALI defines " + support);
        }
        if (!name.startsWith(SYSCALL_PREFIX) || !SYSCALLS.containsKey(name.substring(SYSCALL_PREFIX.length()))) {
            return Optional.of("is not a WALI import (neither SYS_<x86-64 Linux syscall> nor a WALI support function)");
        }
        boolean argsOk = type.params().size() <= MAX_SYSCALL_ARGS
                && type.params().stream().allMatch(t -> t.equals(ValType.I32) || t.equals(ValType.I64));
        // exit and exit_group never return, so no result is accepted for them too (WALI's own unit tests
        // declare exit as returning void); a call that did return would trap, never continue.
        boolean resultOk = type.returns().equals(java.util.List.of(ValType.I64))
                || (NO_RETURN.contains(name) && type.returns().isEmpty());
        if (!argsOk || !resultOk) {
            return Optional.of("has signature " + Signature.describe(type)
                    + ", but WALI syscalls take at most six i32/i64 arguments and return one i64");
        }
        return Optional.empty();
    }

    private static Map<String, Integer> loadSyscalls() {
        Map<String, Integer> map = new HashMap<>();
        try (InputStream in = WaliInterface.class.getResourceAsStream("x86_64-syscalls.tsv")) {
            if (in == null) throw new IllegalStateException("syscall table resource missing");
            BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.US_ASCII));
            for (String line; (line = r.readLine()) != null; ) {
                if (line.isBlank() || line.startsWith("#")) continue;
                String[] f = line.split("\t");
                map.put(f[0], Integer.parseInt(f[1]));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return Collections.unmodifiableMap(map);
    }
}
