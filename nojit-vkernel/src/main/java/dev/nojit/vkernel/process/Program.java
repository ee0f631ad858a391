package dev.nojit.vkernel.process;

import dev.nojit.engine.ModuleImage;

import java.util.List;

/**
 * A program ready to start: the engine image of a manifest-listed executable, the container
 * path it was started as, and its argv and environment.
 *
 * @param sha256 the module's content hash (as listed in the manifest)
 */
public record Program(ModuleImage image, String path, String sha256, List<byte[]> argv, List<byte[]> env,
                      boolean lenientCallIndirect) {
    public Program {
        argv = List.copyOf(argv);
        env = List.copyOf(env);
    }
}
