package dev.nojit.host.spawn;

import dev.nojit.host.kernel.LinuxCalls;

import java.io.File;
import java.lang.module.ModuleFinder;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Where this module's code lies, so that a JVM nojit starts (the vkernel, a restarted shim) can load
 * it as the named module {@value #NAME} and grant native access to it alone. Found as the module
 * layer's location when this JVM already runs it as a module (the {@code ./nojit} launcher puts
 * {@code nojit-host.jar} on the module path), else as the code source of this class when that is a
 * jar or directory holding this module's descriptor and nothing else (Maven's class path in tests).
 * When neither holds (the classes were repackaged into another jar), there is no separate module:
 * {@link #nativeAccessFlags} then falls back to the unnamed module, and says so in the flags.
 *
 * @param location the jar or class directory of module {@value #NAME}
 */
public record HostModule(Path location) {
    public static final String NAME = "dev.nojit.host";

    /** This module's location, if it is loadable on its own. */
    public static Optional<HostModule> find() {
        Module m = LinuxCalls.class.getModule();
        if (m.isNamed() && m.getLayer() != null) {
            return m.getLayer().configuration().findModule(NAME)
                    .flatMap(r -> r.reference().location()).map(uri -> new HostModule(Path.of(uri)));
        }
        try {
            var source = LinuxCalls.class.getProtectionDomain().getCodeSource();
            if (source == null) return Optional.empty();
            Path where = Path.of(source.getLocation().toURI());
            boolean isThisModule = ModuleFinder.of(where).find(NAME).isPresent()
                    && (Files.isRegularFile(where) || Files.isRegularFile(where.resolve("module-info.class")));
            return isThisModule ? Optional.of(new HostModule(where)) : Optional.empty();
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty(); // FindException for a jar that is not this module alone
        }
    }

    /**
     * The JVM options that load {@code module} and let it alone call native code; with no module,
     * native access for the whole class path (the only grant possible there).
     */
    public static List<String> nativeAccessFlags(Optional<HostModule> module) {
        List<String> f = new ArrayList<>();
        f.add("--illegal-native-access=deny");
        if (module.isPresent()) {
            f.add("--module-path");
            f.add(module.get().location().toString());
            f.add("--add-modules");
            f.add(NAME);
            f.add("--enable-native-access=" + NAME);
        } else {
            f.add("--enable-native-access=ALL-UNNAMED");
        }
        return f;
    }

    /** {@code classPath} without this module's location (it is on the module path instead). */
    public static String classPathWithout(String classPath, Optional<HostModule> module) {
        if (module.isEmpty()) return classPath;
        Path loc = module.get().location().toAbsolutePath().normalize();
        List<String> kept = new ArrayList<>();
        for (String entry : classPath.split(File.pathSeparator)) {
            if (entry.isEmpty()) continue;
            if (!Path.of(entry).toAbsolutePath().normalize().equals(loc)) kept.add(entry);
        }
        return String.join(File.pathSeparator, kept);
    }
}
