package dev.nojit.host.seccomp;

import dev.nojit.host.seccomp.ClassicBpfInterpreter.SeccompData;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The compiled vkernel filter, run by the test interpreter over hand-picked cases. */
class VkernelFilterTest {
    static final int X86_64 = 0xC000_003E, I386 = 0x4000_0003, AARCH64 = 0xC000_00B7, X32 = 0x4000_0000;
    static final int ALLOW = 0x7fff_0000, EPERM = 0x0005_0001, KILL = 0x8000_0000;

    static final BpfProgram PROGRAM = BpfCompiler.compile(SeccompPolicy.vkernel());
    static final ClassicBpfInterpreter BPF = new ClassicBpfInterpreter(PROGRAM.bytes());

    static int decideOn(int arch, int nr, long... args) {
        return BPF.run(new SeccompData(nr, arch, args));
    }

    static int decide(int nr, long... args) {
        return decideOn(X86_64, nr, args);
    }

    @Test
    void foreignArchitecturesAndX32CallsAreKilled() {
        assertThat(decideOn(I386, 11)).as("i386 execve via int 0x80").isEqualTo(KILL);
        assertThat(decideOn(I386, 0)).isEqualTo(KILL);
        assertThat(decideOn(AARCH64, 63)).isEqualTo(KILL);
        assertThat(decideOn(0, 0)).isEqualTo(KILL);
        assertThat(decideOn(X86_64 ^ 0x8000_0000, 0)).as("x86-64 without the 64-bit flag").isEqualTo(KILL);
        assertThat(decide(X32, 0)).isEqualTo(KILL);
        assertThat(decide(X32 | 520, 0)).as("x32 execve").isEqualTo(KILL);
        assertThat(decide(X32 | 9, 0, 4096, 7)).isEqualTo(KILL);
        assertThat(decide(-1)).as("nr -1 is unsigned 0xffffffff").isEqualTo(KILL);
        assertThat(decide(X32 - 1)).as("highest non-x32 number").isEqualTo(ALLOW);
    }

    @Test
    void execMemoryIsKilledAndOtherProtectionsPass() {
        for (int nr : new int[] {9, 10, 329}) {
            assertThat(decide(nr, 0, 4096, 1, 0x22, -1, 0)).as("PROT_READ, nr %d", nr).isEqualTo(ALLOW);
            assertThat(decide(nr, 0, 4096, 3, 0x22, -1, 0)).as("PROT_READ|WRITE").isEqualTo(ALLOW);
            assertThat(decide(nr, 0, 4096, 0)).as("PROT_NONE").isEqualTo(ALLOW);
            assertThat(decide(nr, 0, 4096, 4)).as("PROT_EXEC").isEqualTo(KILL);
            assertThat(decide(nr, 0, 4096, 5)).isEqualTo(KILL);
            assertThat(decide(nr, 0, 4096, 7)).isEqualTo(KILL);
            assertThat(decide(nr, 0, 4096, 0x1_0000_0004L)).as("high word set, PROT_EXEC").isEqualTo(KILL);
            assertThat(decide(nr, 0, 4096, 0xffff_ffff_0000_0003L)).as("high word set, no PROT_EXEC").isEqualTo(ALLOW);
            assertThat(decide(nr, 4, 4, 3, 4, 4, 4)).as("bit 4 in every other argument").isEqualTo(ALLOW);
            assertThat(decide(nr, 0, 4096, 0x0100_0003L)).as("PROT_GROWSDOWN").isEqualTo(ALLOW);
        }
        assertThat(decide(329, 0, 4096, 1, 0xffff_ffffL)).as("pkey_mprotect with pkey -1").isEqualTo(ALLOW);
    }

    @Test
    void personalityIsOnlyAQuery() {
        assertThat(decide(135, 0xffff_ffffL)).isEqualTo(ALLOW);
        assertThat(decide(135, 0x1_ffff_ffffL)).as("the kernel reads an unsigned int: still a query").isEqualTo(ALLOW);
        assertThat(decide(135, 0x0400000)).as("READ_IMPLIES_EXEC").isEqualTo(KILL);
        assertThat(decide(135, 0xffff_ffff_0040_0000L)).isEqualTo(KILL);
        assertThat(decide(135, 0)).as("PER_LINUX").isEqualTo(KILL);
        assertThat(decide(135, 0xffff_fffeL)).isEqualTo(KILL);
        assertThat(decide(135, 0x7fff_ffffL)).isEqualTo(KILL);
    }

    @Test
    void shmatOnlyWithoutShmExec() {
        assertThat(decide(30, 5, 0, 0)).isEqualTo(ALLOW);
        assertThat(decide(30, 5, 0, 010000)).as("SHM_RDONLY").isEqualTo(ALLOW);
        assertThat(decide(30, 5, 0, 0100000)).as("SHM_EXEC").isEqualTo(KILL);
        assertThat(decide(30, 5, 0, 0110000)).isEqualTo(KILL);
        assertThat(decide(30, 0100000, 0100000, 0x8000_0000_0000L)).as("SHM_EXEC bit only outside arg2's low word").isEqualTo(ALLOW);
        assertThat(decide(29, 0, 4096, 0100000 | 01000)).as("shmget is not shmat").isEqualTo(ALLOW);
    }

    @Test
    void refusedCallsGetEpermWhateverTheArguments() {
        int[] refused = {25, 319, 59, 322, 101, 310, 311, 321, 323, 425, 426, 427, 298, 246, 320, 175, 313, 304, 250, 248,
                249, 165, 166, 272, 308, 155, 428, 429, 430, 431, 432, 433, 442};
        for (int nr : refused) {
            assertThat(decide(nr)).as("nr %d", nr).isEqualTo(EPERM);
            assertThat(decide(nr, -1, -1, -1, -1, -1, -1)).as("nr %d", nr).isEqualTo(EPERM);
            assertThat(decide(nr, 0, 0, 4, 0, 0, 0)).as("nr %d", nr).isEqualTo(EPERM);
        }
        assertThat(SeccompPolicy.vkernel().rules()).filteredOn(r -> r.action().equals(Action.EPERM) && r.when() instanceof Condition.Always).hasSize(refused.length);
    }

    @Test
    void cloneMayNotEnterNewNamespacesAndClone3IsAbsent() {
        long threadFlags = 0x003d_0f00L; // VM|FS|FILES|SIGHAND|THREAD|SYSVSEM|SETTLS|PARENT_SETTID|CHILD_CLEARTID
        assertThat(decide(56, threadFlags)).as("pthread_create's clone").isEqualTo(ALLOW);
        assertThat(decide(56, 17)).as("fork as clone(SIGCHLD)").isEqualTo(ALLOW);
        assertThat(decide(56, 0x80 | 17)).as("0x80 is part of the exit signal in clone(2)").isEqualTo(ALLOW);
        int[] namespaces = {0x0002_0000, 0x0200_0000, 0x0400_0000, 0x0800_0000, 0x1000_0000, 0x2000_0000, 0x4000_0000};
        for (int ns : namespaces) {
            assertThat(decide(56, 17 | ns)).as("clone with 0x%x", ns).isEqualTo(EPERM);
            assertThat(decide(56, threadFlags | ns | 0xffff_ffff_0000_0000L)).isEqualTo(EPERM);
        }
        assertThat(decide(56, 0x8000_0000L)).as("CLONE_IO is not a namespace").isEqualTo(ALLOW);
        assertThat(decide(435, 0, 88)).as("clone3: ENOSYS").isEqualTo(0x0005_0026);
        assertThat(decide(435, -1, -1)).isEqualTo(0x0005_0026);
    }

    @Test
    void everythingElseIsAllowed() {
        int[] allowed = {0, 1, 2, 3, 8, 11, 12, 24, 26, 28, 29, 31, 57, 58, 60, 157, 202, 231, 257, 302, 317, 434, 436, 443, 447, 500, 1000};
        for (int nr : allowed) {
            assertThat(decide(nr, -1, -1, -1, -1, -1, -1)).as("nr %d", nr).isEqualTo(ALLOW);
            assertThat(decide(nr)).as("nr %d", nr).isEqualTo(ALLOW);
        }
    }

    @Test
    void theProgramIsDeterministicSmallAndUsesOnlyTheDocumentedOpcodes() {
        BpfProgram again = BpfCompiler.compile(SeccompPolicy.vkernel());
        assertThat(again.bytes()).isEqualTo(PROGRAM.bytes());
        assertThat(again.sha256Hex()).isEqualTo(PROGRAM.sha256Hex()).hasSize(64);
        assertThat(PROGRAM.size()).isEqualTo(BPF.length()).isLessThan(128);
        assertThat(PROGRAM.instructions()).allSatisfy(i -> assertThat(i.code()).isIn(0x20, 0x05, 0x15, 0x35, 0x45, 0x06));
        assertThat(PROGRAM.instructions().getLast().code()).as("ends in ret").isEqualTo(0x06);
        assertThat(PROGRAM.listing()).startsWith("   0  ld  [4]\n   1  jeq #0xc000003e, +1, +0\n   2  ret #0x80000000\n");
        System.out.println("vkernel filter: " + PROGRAM.size() + " instructions, sha256 " + PROGRAM.sha256Hex());
    }

    /** A block longer than 255 instructions is skipped with BPF_JA; decisions after it stay right. */
    @Test
    void longBlocksAreSkippedWithALongJump() {
        List<Rule> rules = new ArrayList<>();
        for (int bit = 0; bit < 31; bit++) {
            for (int arg = 0; arg < 6; arg++) {
                rules.add(new Rule("wide", 7, new Condition.AnyBitSet(arg, 1 << bit), (bit + arg) % 2 == 0 ? Action.EPERM : Action.KILL_PROCESS));
            }
        }
        rules.add(Rule.always("after", 8, Action.EPERM));
        SeccompPolicy wide = new SeccompPolicy(X86_64, Action.KILL_PROCESS, Action.KILL_PROCESS, rules, Action.ALLOW);
        BpfProgram p = BpfCompiler.compile(wide);
        assertThat(p.instructions()).anySatisfy(i -> assertThat(i.code()).isEqualTo(BpfInsn.JA));
        ClassicBpfInterpreter bpf = new ClassicBpfInterpreter(p.bytes());

        assertThat(bpf.run(new SeccompData(8, X86_64))).isEqualTo(EPERM);
        assertThat(bpf.run(new SeccompData(9, X86_64, -1, -1, -1, -1, -1, -1))).isEqualTo(ALLOW);
        assertThat(bpf.run(new SeccompData(7, X86_64))).as("no bit set").isEqualTo(ALLOW);
        assertThat(bpf.run(new SeccompData(7, X86_64, 0, 0, 0, 0, 0, 1L << 30))).as("bit 30 of arg5: the last rule").isEqualTo(KILL);
        assertThat(bpf.run(new SeccompData(7, X86_64, 0, 0, 0, 0, 1L << 30))).isEqualTo(EPERM);
        assertThat(bpf.run(new SeccompData(7, X86_64, 0, 1))).as("bit 0 of arg1: an early rule").isEqualTo(KILL);
        assertThat(bpf.run(new SeccompData(7, X86_64, 0, 0, 0, 0, 0, 1L << 31))).as("bit 31 has no rule").isEqualTo(ALLOW);
    }

    @Test
    void theInterpreterRefusesWhatTheKernelWould() {
        byte[] noRet = new BpfProgram(List.of(new BpfInsn(0x20, 0, 0, 0))).bytes();
        assertThatThrownBy(() -> new ClassicBpfInterpreter(noRet).run(new SeccompData(0, X86_64))).hasMessageContaining("outside");
        byte[] alu = new BpfProgram(List.of(new BpfInsn(0x04, 0, 0, 1), new BpfInsn(0x06, 0, 0, 0))).bytes();
        assertThatThrownBy(() -> new ClassicBpfInterpreter(alu).run(new SeccompData(0, X86_64))).hasMessageContaining("not allowed");
        byte[] farLoad = new BpfProgram(List.of(new BpfInsn(0x20, 0, 0, 64), new BpfInsn(0x06, 0, 0, 0))).bytes();
        assertThatThrownBy(() -> new ClassicBpfInterpreter(farLoad).run(new SeccompData(0, X86_64))).hasMessageContaining("offset");
    }
}
