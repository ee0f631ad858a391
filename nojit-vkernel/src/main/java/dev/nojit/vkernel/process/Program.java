package dev.nojit.vkernel.process;

import dev.nojit.engine.CompiledModule;
import dev.nojit.engine.ModuleImage;

import java.util.List;

/**
 * A program ready to start: the engine image of a manifest-listed executable, the container
 * path it was started as, and its argv and environment.
 *
 * @param sha256   the module's content hash (as listed in the manifest)
 * @param compiled the module's AOT code ({@link AotClassLoader}, defined from the bundle's signed class blobs),
 *                 or null when it runs on the interpreter
 * @param pins     scripts the exec gate checked for this program (its {@code #!} script, script
 *                 operands under {@code scripts: manifest-only}): while the image runs, opening one
 *                 of these paths for reading yields exactly the checked, listed content
 */
public record Program(ModuleImage image, CompiledModule compiled, String path, String sha256, List<byte[]> argv, List<byte[]> env,
                      boolean lenientCallIndirect, List<Pin> pins) {
    public Program {
        argv = List.copyOf(argv);
        env = List.copyOf(env);
        pins = List.copyOf(pins);
    }

    /** A script file by canonical container path and the SHA-256 of its listed content. */
    public record Pin(String path, String sha256) {}
}
