package dev.nojit.bundle.verify;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.bundle.testing.WasmBytes;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.List;

import static dev.nojit.bundle.testing.WasmBytes.I32;
import static dev.nojit.bundle.testing.WasmBytes.I64;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ModuleVerifierTest {
    @ParameterizedTest
    @ValueSource(strings = {"hello.wasm", "cat.wasm", "wc.wasm"})
    void realWasiProgramsAreAccepted(String guest) throws Exception {
        var v = ModuleVerifier.verify("/bin/x", Guests.bytes(guest));
        assertThat(v.personalities()).containsExactly("wasi_snapshot_preview1");
        assertThat(v.functionImports()).isGreaterThan(3);
    }

    @Test
    void theWaliProgramIsAccepted() throws Exception {
        var v = ModuleVerifier.verify("/bin/x", Guests.bytes("wali-hello.wasm"));
        assertThat(v.personalities()).containsExactly("wali");
        assertThat(v.functionImports()).isEqualTo(3);
    }

    @Test
    void importingEnvCompileIsRefusedNamingTheImport() {
        assertThatThrownBy(() -> ModuleVerifier.verify("/bin/evil", Guests.bytes("import-env-compile.wasm")))
                .isInstanceOf(BundleException.class)
                .hasMessage("/bin/evil: import env.compile is not from a supported personality (wali, wasi_snapshot_preview1)");
    }

    @Test
    void anUnknownNameInAnAllowedModuleIsRefused() {
        assertThatThrownBy(() -> ModuleVerifier.verify("/bin/x", Guests.bytes("import-wasi-unknown.wasm")))
                .isInstanceOf(BundleException.class)
                .hasMessageContaining("import wasi_snapshot_preview1.path_compile is not a WASI preview 1 function");
    }

    @Test
    void aWasiFunctionWithTheWrongSignatureIsRefused() {
        var m = new WasmBytes();
        m.importFunction("wasi_snapshot_preview1", "fd_write", m.type(new byte[] {I32, I32}, new byte[] {I32}));
        assertThatThrownBy(() -> ModuleVerifier.verify("/bin/x", m.bytes()))
                .hasMessageContaining("fd_write has signature (i32, i32) -> i32, WASI preview 1 defines (i32, i32, i32, i32) -> i32");
    }

    @Test
    void anyLinuxSyscallNameIsAWaliImportWithTheWaliTypeMapping() throws Exception {
        var m = new WasmBytes();
        int t3 = m.type(new byte[] {I32, I32, I32}, new byte[] {I64});
        int t6 = m.type(new byte[] {I32, I64, I32, I32, I32, I64}, new byte[] {I64});
        m.importFunction("wali", "SYS_memfd_create", m.type(new byte[] {I32, I32}, new byte[] {I64}))
                .importFunction("wali", "SYS_execveat", m.type(new byte[] {I32, I32, I32, I32, I32}, new byte[] {I64}))
                .importFunction("wali", "SYS_mprotect", t3)
                .importFunction("wali", "SYS_mmap", t6)
                .importFunction("wali", "SYS_mseal", t3)
                .importFunction("wali", "setjmp", m.type(new byte[] {I32}, new byte[] {I32}))
                .importFunction("wali", "longjmp", m.type(new byte[] {I32, I32}, new byte[] {}));
        assertThat(ModuleVerifier.verify("/bin/x", m.bytes()).personalities()).containsExactly("wali");
    }

    /** A module importing one syscall twice with two types: the vkernel could never link it, so it is never signed. */
    static byte[] mprotectImportedTwice() {
        var m = new WasmBytes();
        m.importFunction("wali", "SYS_mprotect", m.type(new byte[] {I32, I32, I32}, new byte[] {I64}))
                .importFunction("wali", "SYS_mprotect", m.type(new byte[] {I32, I32, I64}, new byte[] {I64}));
        return m.bytes();
    }

    @Test
    void oneSyscallImportedWithTwoTypesIsRefusedNamingBoth() {
        assertThatThrownBy(() -> ModuleVerifier.verify("/bin/x", mprotectImportedTwice()))
                .isInstanceOf(BundleException.class)
                .hasMessage("/bin/x: import wali.SYS_mprotect is imported twice with different types: "
                        + "(i32, i32, i32) -> i64 and (i32, i32, i64) -> i64");
    }

    @Test
    void oneSyscallImportedTwiceWithTheSameTypeIsAccepted() throws Exception {
        var m = new WasmBytes();
        int t = m.type(new byte[] {I32, I32, I32}, new byte[] {I64});
        m.importFunction("wali", "SYS_mprotect", t).importFunction("wali", "SYS_mprotect", t);
        assertThat(ModuleVerifier.verify("/bin/x", m.bytes()).functionImports()).isEqualTo(2);
    }

    @Test
    void anInventedSyscallIsRefused() {
        var m = new WasmBytes();
        m.importFunction("wali", "SYS_jit_compile", m.type(new byte[] {I32}, new byte[] {I64}));
        assertThatThrownBy(() -> ModuleVerifier.verify("/bin/x", m.bytes()))
                .hasMessageContaining("import wali.SYS_jit_compile is not a WALI import");
    }

    @Test
    void aSyscallWithANonWaliSignatureIsRefused() {
        var m = new WasmBytes();
        m.importFunction("wali", "SYS_write", m.type(new byte[] {I32, I32, I32}, new byte[] {I32}));
        assertThatThrownBy(() -> ModuleVerifier.verify("/bin/x", m.bytes()))
                .hasMessageContaining("wali.SYS_write has signature (i32, i32, i32) -> i32");
        var f = new WasmBytes();
        f.importFunction("wali", "SYS_write", f.type(new byte[] {WasmBytes.F32}, new byte[] {I64}));
        assertThatThrownBy(() -> ModuleVerifier.verify("/bin/x", f.bytes())).hasMessageContaining("(f32) -> i64");
    }

    @Test
    void exitMayBeDeclaredWithoutAResultButNoOtherSyscall() throws Exception {
        var m = new WasmBytes();
        m.importFunction("wali", "SYS_exit", m.type(new byte[] {I32}, new byte[] {}))
                .importFunction("wali", "SYS_exit_group", m.type(new byte[] {I32}, new byte[] {}));
        assertThat(ModuleVerifier.verify("/bin/x", m.bytes()).personalities()).containsExactly("wali");
        var w = new WasmBytes();
        w.importFunction("wali", "SYS_kill", w.type(new byte[] {I32, I32}, new byte[] {}));
        assertThatThrownBy(() -> ModuleVerifier.verify("/bin/x", w.bytes()))
                .hasMessageContaining("wali.SYS_kill has signature (i32, i32) -> nil");
    }

    @Test
    void aWaliSupportFunctionWithTheWrongSignatureIsRefused() {
        var m = new WasmBytes();
        m.importFunction("wali", "__proc_exit", m.type(new byte[] {I64}, new byte[] {}));
        assertThatThrownBy(() -> ModuleVerifier.verify("/bin/x", m.bytes()))
                .hasMessageContaining("wali.__proc_exit has signature (i64) -> nil, WALI defines (i32) -> nil");
    }

    @Test
    void nonFunctionImportsAreRefused() {
        var m = new WasmBytes().importMemory("env", "memory");
        assertThatThrownBy(() -> ModuleVerifier.verify("/bin/x", m.bytes()))
                .hasMessageContaining("import env.memory is a memory import");
    }

    @Test
    void aModuleThatFailsValidationIsRefused() {
        var m = new WasmBytes();
        // A function declared to return an i32 whose body returns nothing.
        m.function(m.type(new byte[] {}, new byte[] {I32}));
        assertThatThrownBy(() -> ModuleVerifier.verify("/bin/broken", m.bytes()))
                .isInstanceOf(BundleException.class)
                .hasMessageStartingWith("/bin/broken: not a valid WebAssembly module");
    }

    @Test
    void garbageAndTruncatedModulesAreRefused() {
        byte[] hello = Guests.bytes("hello.wasm");
        for (byte[] bad : List.of(new byte[0], "not wasm".getBytes(), java.util.Arrays.copyOf(hello, hello.length / 2),
                java.util.Arrays.copyOf(hello, 9))) {
            assertThatThrownBy(() -> ModuleVerifier.verify("/bin/x", bad))
                    .isInstanceOf(BundleException.class)
                    .hasMessageStartingWith("/bin/x: not a valid WebAssembly module");
        }
    }

    @Test
    void aModuleWithNoImportsHasNoPersonality() throws Exception {
        var m = new WasmBytes();
        m.function(m.type(new byte[] {}, new byte[] {I32}), (byte) 0x41, (byte) 0x2a);
        assertThat(ModuleVerifier.verify("/bin/x", m.bytes()).personalities()).isEmpty();
    }

    @Test
    void theSyscallTableKnowsX8664Numbers() {
        assertThat(WaliInterface.syscallNumbers()).containsEntry("write", 1).containsEntry("execve", 59)
                .containsEntry("memfd_create", 319).containsEntry("execveat", 322).containsEntry("pkey_mprotect", 329);
    }
}
