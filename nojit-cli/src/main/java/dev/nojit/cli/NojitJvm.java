package dev.nojit.cli;

import dev.nojit.host.spawn.HostModule;
import dev.nojit.host.spawn.VkernelCommand;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * The command line that starts {@code nojit ARGS} as a JVM of its own, with the launcher's flags: a
 * code cache that never grows (so that its shim can lock itself down with seccomp) and native
 * access for module dev.nojit.host alone. System properties this JVM was given are passed on (tests
 * select test entry points with them).
 */
final class NojitJvm {
    private NojitJvm() {}

    static List<String> command(List<String> args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(VkernelCommand.currentJava().toString());
        cmd.addAll(VkernelCommand.fixedCodeCacheFlags());
        Optional<HostModule> host = HostModule.find();
        cmd.addAll(HostModule.nativeAccessFlags(host));
        for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (a.startsWith("-D")) cmd.add(a);
        }
        cmd.add("-cp");
        cmd.add(HostModule.classPathWithout(System.getProperty("java.class.path"), host));
        cmd.add(Nojit.class.getName());
        cmd.addAll(args);
        return cmd;
    }
}
