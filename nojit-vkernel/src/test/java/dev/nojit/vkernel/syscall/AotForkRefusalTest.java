package dev.nojit.vkernel.syscall;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nojit.engine.AotContext;
import dev.nojit.engine.CompiledModule;
import dev.nojit.engine.EngineConfig;
import dev.nojit.engine.FuncType;
import dev.nojit.engine.Imports;
import dev.nojit.engine.Instance;
import dev.nojit.engine.Memory;
import dev.nojit.engine.ModuleImage;
import dev.nojit.engine.Store;
import dev.nojit.engine.ValType;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.Kernel;
import dev.nojit.vkernel.KernelConfig;
import dev.nojit.vkernel.fs.FdTable;
import dev.nojit.vkernel.memory.GuestMemory;
import dev.nojit.vkernel.process.DirectProcess;
import dev.nojit.vkernel.process.Process;
import dev.nojit.vkernel.process.Program;
import dev.nojit.vkernel.process.Rlimits;
import dev.nojit.vkernel.process.WaitStatus;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * fork reached from compiled (AOT) code: the engine cannot copy compiled frames (they are Java frames), so the
 * kernel's fork answers ENOSYS with a kernel log line, starts no child and leaves the host unharmed.
 */
class AotForkRefusalTest {
    /**
     * (module (import "env" "fork" (func (result i32))) (import "env" "memory" (memory 1 16))
     *   (func (export "f") (result i32) (call 0)))
     */
    private static final byte[] WASM = {
            0x00, 0x61, 0x73, 0x6d, 0x01, 0x00, 0x00, 0x00,
            0x01, 0x05, 0x01, 0x60, 0x00, 0x01, 0x7f,
            0x02, 0x1b, 0x02, 0x03, 'e', 'n', 'v', 0x04, 'f', 'o', 'r', 'k', 0x00, 0x00,
            0x03, 'e', 'n', 'v', 0x06, 'm', 'e', 'm', 'o', 'r', 'y', 0x02, 0x01, 0x01, 0x10,
            0x03, 0x02, 0x01, 0x00,
            0x07, 0x05, 0x01, 0x01, 'f', 0x00, 0x01,
            0x0a, 0x06, 0x01, 0x04, 0x00, 0x10, 0x00, 0x0b};

    /** The module's function f, as the AOT translator generates it: it calls import 0 through the context. */
    public static final class Compiled implements CompiledModule {
        @Override
        public int definedFunctions() {
            return 1;
        }

        @Override
        public String functionType(int definedIndex) {
            return "[] -> [I32]";
        }

        @Override
        public boolean compiled(int definedIndex) {
            return true;
        }

        @Override
        public long[] invoke(int definedIndex, long[] args, AotContext cx) {
            cx.enter(2);
            long[] r = cx.call(0, new long[0]);
            cx.leave();
            return r;
        }
    }

    @Test
    void forkFromCompiledCodeIsENOSYSWithAKernelLogLine() throws Exception {
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        KernelConfig config = KernelConfig.defaults();
        Container.Options options = Container.Options.defaults().withConfig(config)
                .withStdio(new ByteArrayInputStream(new byte[0]), OutputStream.nullOutputStream(), log);
        try (Container container = Container.create(FuzzImage.bundle(), options)) {
            Kernel kernel = container.kernel();
            Program program = kernel.gate().load("/", fs -> fs.resolve("/", "/bin/wali-hello", true),
                    List.of("/bin/wali-hello".getBytes(StandardCharsets.UTF_8)), List.of());
            GuestMemory memory = new GuestMemory(new Memory(1, 16, false));
            Process p = DirectProcess.bind(kernel, new FdTable(config.maxOpenFiles()),
                    new Rlimits(config.maxProcesses(), config.maxOpenFiles(), config.memoryLimit()), program, memory);
            // the fork import as the personality runs a syscall: the call recorded, errors as -errno
            Imports imports = Imports.builder()
                    .function("env", "fork", FuncType.of(List.of(), List.of(ValType.I32)), (call, args) -> {
                        p.enterCall(call);
                        try {
                            return new long[] {ProcessSyscalls.fork(p)};
                        } catch (SyscallError e) {
                            return new long[] {-e.errno()};
                        } finally {
                            p.leaveCall();
                        }
                    })
                    .memory("env", "memory", memory.engineMemory())
                    .build();
            Instance inst = new Store(EngineConfig.defaults()).instantiate(ModuleImage.compile(WASM), imports, new Compiled());
            long charged = kernel.memoryBudget().used();
            assertThat(inst.invoke("f")[0]).isEqualTo(-Errno.ENOSYS);
            assertThat(kernel.processes().all()).containsOnlyKeys(1); // no child
            assertThat(log.toString(StandardCharsets.UTF_8))
                    .contains("nojit: pid 1 (/bin/wali-hello): fork: ENOSYS: a snapshot (fork) cannot copy compiled (AOT) frames");
            // what fork charged for the child's copy before the snapshot was refused is given back
            assertThat(kernel.memoryBudget().used()).isEqualTo(charged);
            DirectProcess.end(p, WaitStatus.exited(0));
        }
    }
}
