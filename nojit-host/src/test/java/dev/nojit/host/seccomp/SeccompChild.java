package dev.nojit.host.seccomp;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.lang.classfile.ClassFile;
import java.lang.constant.ClassDesc;
import java.lang.constant.ConstantDescs;
import java.lang.constant.MethodTypeDesc;
import java.lang.invoke.MethodHandles;
import java.lang.management.CompilationMXBean;
import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.function.LongUnaryOperator;

/**
 * Main class of the child JVM that {@link SeccompChildTest} starts: installs the vkernel filter
 * (unless {@code --no-filter}) and then makes ONE attempt named on the command line. It prints
 * {@code RESULT <n>} (the syscall's result, negative errno on failure) when it survives.
 * Everything native is linked and prepared before the filter goes in, as the vkernel must.
 */
public final class SeccompChild {
    static final long MMAP = 9, MPROTECT = 10, MREMAP = 25, SHMGET = 29, SHMAT = 30, SHMCTL = 31, PERSONALITY = 135,
            PTRACE = 101, EXECVE = 59, MEMFD_CREATE = 319, PKEY_MPROTECT = 329, PRLIMIT64 = 302;

    public static void main(String[] args) throws Throwable {
        boolean filter = !args[0].equals("--no-filter");
        String mode = filter ? args[0] : args[1];
        noCoreDumps();

        // Prepared before the filter.
        long page = Sys.mmapAnonymous(4096, Sys.PROT_READ | Sys.PROT_WRITE);
        long rwx = mode.equals("mremap") ? Sys.mmapAnonymous(4096, Sys.PROT_READ | Sys.PROT_WRITE | Sys.PROT_EXEC) : 0;
        long shmid = mode.equals("shmat-exec") ? Sys.call(SHMGET, 0 /* IPC_PRIVATE */, 4096, 01000 /* IPC_CREAT */ | 0600) : 0;
        long memfdName = Sys.cString("nojit-test");
        long trueBin = Sys.cString("/bin/true");
        Map<String, long[]> refusedCalls = refusedCalls();
        // java.lang.management loads libmanagement.so on first use: do that now.
        CompilationMXBean jit = ManagementFactory.getCompilationMXBean();
        if (jit != null) jit.getTotalCompilationTime();
        check(page > 0 && rwx >= 0 && shmid >= 0, "preparation failed: " + page + " " + rwx + " " + shmid);

        BpfProgram program = BpfCompiler.compile(SeccompPolicy.vkernel());
        if (mode.equals("tsync-conflict")) {
            tsyncConflict(program);
            return;
        }
        if (filter) {
            SeccompInstaller.Installed installed = SeccompInstaller.installVkernelFilter();
            System.out.println("INSTALLED " + installed.status().filtered() + " " + installed.instructions() + " " + installed.sha256());
        }
        System.out.flush();

        switch (mode) {
            case "control" -> control(jit);
            case "compile-many" -> result(compileMany(3000));
            case "mmap-exec" -> result(Sys.mmapAnonymous(4096, Sys.PROT_READ | Sys.PROT_EXEC));
            case "mprotect-exec" -> result(Sys.call(MPROTECT, page, 4096, Sys.PROT_READ | Sys.PROT_EXEC));
            case "pkey-mprotect-exec" -> result(Sys.call(PKEY_MPROTECT, page, 4096, Sys.PROT_READ | Sys.PROT_EXEC, -1));
            case "personality-read-implies-exec" -> result(Sys.call(PERSONALITY, 0x0400000));
            case "shmat-exec" -> {
                long plain = Sys.call(SHMAT, shmid, 0, 0);
                System.out.println("PLAIN " + (plain > 0));
                // Marked for removal now, so the segment goes away when the process dies; Linux
                // still lets an attached, removed segment be attached again.
                check(Sys.call(SHMCTL, shmid, 0 /* IPC_RMID */, 0) == 0, "IPC_RMID");
                result(Sys.call(SHMAT, shmid, 0, SeccompPolicy.SHM_EXEC));
            }
            case "memfd" -> result(Sys.call(MEMFD_CREATE, memfdName, 0));
            case "mremap" -> {
                result(Sys.call(MREMAP, rwx, 4096, 8192, 1 /* MREMAP_MAYMOVE */));
                reallocLargeBlock();
            }
            case "execve" -> result(Sys.call(EXECVE, trueBin, 0, 0));
            case "process-builder" -> {
                try {
                    Process p = new ProcessBuilder("/bin/true").start();
                    System.out.println("RESULT started, exit " + p.waitFor());
                } catch (IOException e) {
                    System.out.println("RESULT IOException " + e.getMessage().replace('\n', ' '));
                }
            }
            case "clone3" -> result(Sys.call(435, 0, 0)); // EINVAL (size 0) without a filter
            case "ptrace" -> result(Sys.call(PTRACE, 2 /* PTRACE_PEEKDATA */, 1, 0, 0)); // ESRCH without a filter
            case "refused-calls" -> refusedCalls.forEach((name, call) -> {
                long[] a = java.util.Arrays.copyOfRange(call, 1, call.length);
                System.out.println("CALL " + name + " " + Sys.call(call[0], a));
            });
            default -> throw new IllegalArgumentException(mode);
        }
        System.out.flush();
        System.exit(0);
    }

    /**
     * Calls the filter answers with EPERM, each with arguments that make it fail harmlessly
     * (and not with EPERM) when there is no filter, even as root.
     */
    static Map<String, long[]> refusedCalls() {
        Map<String, long[]> m = new LinkedHashMap<>();
        long bad = 0xffff_ffffL;
        m.put("mremap", new long[] {MREMAP, 0, 0, 0, bad, 0});
        m.put("memfd_create", new long[] {MEMFD_CREATE, 0, bad});
        m.put("execve", new long[] {EXECVE, 0, 0, 0});
        m.put("execveat", new long[] {322, -1, 0, 0, 0, 0});
        m.put("ptrace", new long[] {PTRACE, 2, 1, 0, 0});
        m.put("process_vm_readv", new long[] {310, -1, 0, 0, 0, 0, 1});
        m.put("process_vm_writev", new long[] {311, -1, 0, 0, 0, 0, 1});
        m.put("bpf", new long[] {321, bad, 0, 0});
        m.put("userfaultfd", new long[] {323, bad});
        m.put("io_uring_setup", new long[] {425, 0, 0});
        m.put("io_uring_enter", new long[] {426, -1, 0, 0, 0, 0, 0});
        m.put("io_uring_register", new long[] {427, -1, 0, 0, 0});
        m.put("perf_event_open", new long[] {298, 0, 0, -1, -1, 0});
        m.put("kexec_load", new long[] {246, 0, 0, 0, bad});
        m.put("kexec_file_load", new long[] {320, -1, -1, 0, 0, bad});
        m.put("init_module", new long[] {175, 0, 0, 0});
        m.put("finit_module", new long[] {313, -1, 0, bad});
        m.put("open_by_handle_at", new long[] {304, -1, 0, 0});
        m.put("keyctl", new long[] {250, bad, 0, 0, 0, 0});
        m.put("add_key", new long[] {248, 0, 0, 0, 0, 0});
        m.put("request_key", new long[] {249, 0, 0, 0, 0});
        m.put("mount", new long[] {165, 0, 0, 0, 0, 0});
        m.put("umount2", new long[] {166, 0, 0});
        m.put("unshare", new long[] {272, 0});
        // CLONE_NEWUSER with CLONE_FS is EINVAL without the filter: nothing is created.
        m.put("clone-namespace", new long[] {56, 0x1000_0000L | 0x200 | 17, 0, 0, 0, 0});
        m.put("setns", new long[] {308, -1, 0});
        m.put("pivot_root", new long[] {155, 0, 0});
        m.put("open_tree", new long[] {428, -1, 0, bad});
        m.put("move_mount", new long[] {429, -1, 0, -1, 0, bad});
        m.put("fsopen", new long[] {430, 0, bad});
        m.put("fsconfig", new long[] {431, -1, bad, 0, 0, 0});
        m.put("fsmount", new long[] {432, -1, bad, 0});
        m.put("fspick", new long[] {433, -1, 0, bad});
        m.put("mount_setattr", new long[] {442, -1, 0, bad, 0, 0});
        return m;
    }

    /** Normal JVM work under the filter: threads, garbage, hot code the JIT compiles. */
    static void control(CompilationMXBean jit) throws Exception {
        System.out.println("READY " + ProcessHandle.current().pid());
        System.out.flush();
        new BufferedReader(new InputStreamReader(System.in)).readLine(); // the parent reads /proc meanwhile
        long compiledBefore = jit == null ? -1 : jit.getTotalCompilationTime();
        ExecutorService pool = Executors.newFixedThreadPool(8);
        List<Future<Long>> work = new ArrayList<>();
        int rounds = jit == null ? 150_000 : 3_000_000; // -Xint is some 20 times slower
        for (int t = 0; t < 8; t++) {
            int seed = t;
            work.add(pool.submit(() -> {
                long acc = seed;
                List<int[]> garbage = new ArrayList<>();
                for (int i = 0; i < rounds; i++) {
                    acc = acc * 6364136223846793005L + Long.toString(i ^ acc).hashCode();
                    if ((i & 1023) == 0) garbage.add(new int[1024]);
                    if (garbage.size() > 200) garbage.clear();
                }
                return acc;
            }));
        }
        long sum = 0;
        for (Future<Long> f : work) sum += f.get();
        pool.shutdown();
        long compiledAfter = jit == null ? -1 : jit.getTotalCompilationTime();
        System.out.println("JIT " + compiledBefore + " " + compiledAfter);
        System.out.println("PERSONALITY " + Sys.call(PERSONALITY, 0xffff_ffffL));
        System.out.println("MMAP_RW " + (Sys.mmapAnonymous(1 << 20, Sys.PROT_READ | Sys.PROT_WRITE) > 0));
        System.out.println("STATUS " + ProcStatus.self());
        System.out.println("RESULT " + (sum == 0 ? 0 : 1));
    }

    /**
     * Makes HotSpot compile a few MB of code: {@code n} generated classes, each with a hot method
     * of its own. With default flags this outgrows the code cache HotSpot committed at start.
     */
    static long compileMany(int n) throws Throwable {
        ClassDesc op = ClassDesc.of("java.util.function.LongUnaryOperator");
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        long acc = 0;
        for (int i = 0; i < n; i++) {
            int seed = i;
            byte[] bytes = ClassFile.of().build(ClassDesc.of(SeccompChild.class.getPackageName() + ".Gen" + i), cb -> cb
                    .withInterfaceSymbols(op)
                    .withMethodBody("<init>", MethodTypeDesc.of(ConstantDescs.CD_void), ClassFile.ACC_PUBLIC, b -> b
                            .aload(0).invokespecial(ConstantDescs.CD_Object, "<init>", MethodTypeDesc.of(ConstantDescs.CD_void)).return_())
                    .withMethodBody("applyAsLong", MethodTypeDesc.of(ConstantDescs.CD_long, ConstantDescs.CD_long), ClassFile.ACC_PUBLIC, b -> {
                        b.lload(1);
                        for (int k = 0; k < 40; k++) {
                            b.ldc((long) seed * 131 + k).lxor().lload(1).lmul();
                        }
                        b.lreturn();
                    }));
            LongUnaryOperator f = (LongUnaryOperator) lookup.defineHiddenClass(bytes, true).lookupClass()
                    .getConstructor().newInstance();
            for (int j = 0; j < 12_000; j++) acc += f.applyAsLong(j ^ acc);
        }
        return acc == 0 ? 0 : n;
    }

    /**
     * A thread with a filter of its own (installed without TSYNC) blocks TSYNC: the installer
     * must report that thread and leave the others unfiltered.
     */
    static void tsyncConflict(BpfProgram program) throws Exception {
        long[] tid = new long[1];
        Thread t = new Thread(() -> {
            tid[0] = Sys.call(186 /* gettid */);
            dev.nojit.host.kernel.LinuxCalls.prctl("nnp", dev.nojit.host.kernel.LinuxCalls.PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0);
            BpfProgram allowAll = new BpfProgram(List.of(new BpfInsn(BpfInsn.RET_K, 0, 0, Action.ALLOW.seccompRet())));
            java.lang.foreign.MemorySegment f = java.lang.foreign.Arena.global().allocateFrom(
                    java.lang.foreign.ValueLayout.JAVA_BYTE, allowAll.bytes());
            java.lang.foreign.MemorySegment prog = java.lang.foreign.Arena.global().allocate(SeccompInstaller.SOCK_FPROG);
            prog.set(java.lang.foreign.ValueLayout.JAVA_SHORT, 0, (short) 1);
            prog.set(java.lang.foreign.ValueLayout.ADDRESS, 8, f);
            System.out.println("OWN_FILTER " + Sys.call(317, 1, 0, prog.address()));
            try {
                Thread.sleep(60_000);
            } catch (InterruptedException e) {
                // done
            }
        });
        t.setDaemon(true);
        t.start();
        while (tid[0] == 0 || ProcStatus.read("/proc/self/task/" + tid[0] + "/status").seccomp() != 2) Thread.sleep(10);
        try {
            SeccompInstaller.install(program);
            System.out.println("RESULT installed");
        } catch (SeccompInstaller.TsyncException e) {
            System.out.println("RESULT refused " + (e.tid() == tid[0]) + " " + ProcStatus.self().seccomp());
        }
        System.out.flush();
        System.exit(0);
    }

    /** glibc realloc of an mmapped block tries mremap and must fall back to malloc + copy when refused. */
    static void reallocLargeBlock() throws Throwable {
        long p = Sys.malloc(8 << 20);
        java.lang.foreign.MemorySegment s = java.lang.foreign.MemorySegment.ofAddress(p).reinterpret(8 << 20);
        s.set(java.lang.foreign.ValueLayout.JAVA_LONG, (8 << 20) - 8, 0x1234_5678_9abcL);
        long q = Sys.realloc(p, 32 << 20);
        long kept = java.lang.foreign.MemorySegment.ofAddress(q).reinterpret(32 << 20)
                .get(java.lang.foreign.ValueLayout.JAVA_LONG, (8 << 20) - 8);
        System.out.println("REALLOC " + (q != 0 && kept == 0x1234_5678_9abcL));
        Sys.free(q);
    }

    private static void result(long r) {
        System.out.println("RESULT " + r);
    }

    private static void check(boolean ok, String what) {
        if (!ok) throw new IllegalStateException(what);
    }

    /** RLIMIT_CORE = 0: a child killed by SIGSYS must not leave a core file behind. */
    private static void noCoreDumps() {
        java.lang.foreign.MemorySegment zero = java.lang.foreign.Arena.global().allocate(16);
        check(Sys.call(PRLIMIT64, 0, 4 /* RLIMIT_CORE */, zero.address(), 0) == 0, "prlimit64(RLIMIT_CORE)");
    }
}
