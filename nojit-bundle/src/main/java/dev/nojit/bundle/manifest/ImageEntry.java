package dev.nojit.bundle.manifest;

import java.util.List;

/**
 * One entry of the container image as the manifest lists it. Directories carry no content;
 * every other kind names its content by SHA-256 (a blob of the bundle) and size.
 */
public sealed interface ImageEntry {
    /** Absolute, normal container path (see {@link ContainerPath}). */
    String path();

    /** Permission bits only (0..0777); no setuid, setgid or sticky bit in an image. */
    int mode();

    /** The manifest's name for this kind: {@code directory}, {@code data}, {@code script}, {@code executable}. */
    String kind();

    /** An entry with content. */
    sealed interface WithContent extends ImageEntry {
        String sha256();

        long size();
    }

    record Directory(String path, int mode) implements ImageEntry {
        public String kind() {
            return "directory";
        }
    }

    record DataFile(String path, int mode, String sha256, long size) implements WithContent {
        public String kind() {
            return "data";
        }
    }

    /** A script: data that only ever runs as input to {@code interpreter}, an executable of the same image. */
    record Script(String path, int mode, String sha256, long size, String interpreter) implements WithContent {
        public String kind() {
            return "script";
        }
    }

    /** A WebAssembly module that may start as a process. */
    record Executable(String path, int mode, String sha256, long size, ModuleInfo module, List<Compat> compat)
            implements WithContent {
        public Executable {
            compat = List.copyOf(compat);
        }

        public String kind() {
            return "executable";
        }

        /** {@link EngineMode#AOT} when the module carries AOT classes, else {@link EngineMode#INTERPRETER}. */
        public EngineMode engine() {
            return module.aotClasses().isEmpty() ? EngineMode.INTERPRETER : EngineMode.AOT;
        }
    }

    /**
     * What build-time verification learnt of a module.
     *
     * @param personalities the guest interfaces it imports from ({@code wali}, {@code wasi_snapshot_preview1}), sorted
     * @param predecoded    the blob holding the engine's pre-decoded form of the module
     * @param aotClasses    the blobs of its AOT classes ({@code AotClassBlob}), the entry class first; empty when
     *                      the module runs on the interpreter
     */
    record ModuleInfo(List<String> personalities, BlobRef predecoded, List<BlobRef> aotClasses) {
        public ModuleInfo {
            personalities = List.copyOf(personalities);
            aotClasses = List.copyOf(aotClasses);
        }

        /** A module that runs on the interpreter. */
        public ModuleInfo(List<String> personalities, BlobRef predecoded) {
            this(personalities, predecoded, List.of());
        }
    }

    /** A blob of the bundle named by content, with the format its bytes are in. */
    record BlobRef(String format, String sha256, long size) {}
}
