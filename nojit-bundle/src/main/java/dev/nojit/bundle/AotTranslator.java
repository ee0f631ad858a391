package dev.nojit.bundle;

import java.io.IOException;
import java.util.List;

/**
 * Translates a verified module into the JVM classes of nojit's AOT engine mode, at build time
 * ({@link BundleBuilder#aotTranslator}). The bundle does not translate anything itself: {@code nojit build}
 * runs the translator ({@code nojit-aot}, a build-time module never on the run-time class path) in a
 * JVM of its own and hands its output here.
 */
public interface AotTranslator {
    /** One generated class: its binary name ({@code dev.nojit.aot.generated.M<16 hex>_<n>}) and class-file bytes. */
    record GeneratedClass(String name, byte[] classFile) {}

    /**
     * The classes, entry class ({@code _0}) first, and the translator's one-line summary.
     *
     * @param summary what the translator said it did, e.g. "aot: compiled 12 of 14 functions (2 left to the interpreter)" or
     *                "aot: compiled 14 of 14 functions (0 left to the interpreter; 1 split into regions)"
     */
    record Translation(List<GeneratedClass> classes, String summary) {
        public Translation {
            classes = List.copyOf(classes);
        }

        private static final java.util.regex.Pattern LEFT = java.util.regex.Pattern.compile("\\((\\d{1,9}) left to the interpreter[;)]");

        /** The functions the summary says were left to the interpreter ({@code "(K left to the interpreter"}), else 0. */
        public int leftToInterpreter() {
            var m = summary == null ? null : LEFT.matcher(summary);
            return m != null && m.find() ? Integer.parseInt(m.group(1)) : 0;
        }
    }

    /**
     * @param path          the executable's container path, for messages
     * @param wasm          the module's bytes: exactly those that were verified and are signed
     * @param personalities the guest interfaces the module imports from ({@code wali} and/or {@code wasi_snapshot_preview1})
     * @param deopt         the module forks, so every call site gets a deoptimization handler (the translator's
     *                      {@code --deopt}), letting fork rebuild compiled frames as interpreter frames. Part of the one
     *                      method, not a default: a translator that dropped it would make fork answer ENOSYS
     * @throws BundleException the translator refused the module or failed (one line naming it)
     */
    Translation translate(String path, byte[] wasm, List<String> personalities, boolean deopt) throws BundleException, IOException;
}
