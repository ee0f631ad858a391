package dev.nojit.vkernel;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.manifest.EngineMode;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.engine.CompiledModule;
import dev.nojit.engine.ModuleImage;
import dev.nojit.vkernel.process.AotClassLoader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * The container image as the kernel reads it: a verified bundle's manifest entries, blobs
 * (hash-checked on every read) and engine images (loaded once per module hash).
 */
public final class ImageSource {
    private final VerifiedBundle bundle;
    private final Map<String, ImageEntry.Executable> executablesBySha;
    private final Map<String, List<ImageEntry.Script>> scriptsBySha;
    private final Map<String, ModuleImage> images = new ConcurrentHashMap<>();
    private final Map<String, CompiledModule> compiled = new ConcurrentHashMap<>();

    public ImageSource(VerifiedBundle bundle) {
        this.bundle = bundle;
        this.executablesBySha = bundle.manifest().entries().stream()
                .filter(e -> e instanceof ImageEntry.Executable).map(e -> (ImageEntry.Executable) e)
                .collect(Collectors.toMap(ImageEntry.Executable::sha256, Function.identity(), (a, b) -> a));
        this.scriptsBySha = bundle.manifest().entries().stream()
                .filter(e -> e instanceof ImageEntry.Script).map(e -> (ImageEntry.Script) e)
                .collect(Collectors.groupingBy(ImageEntry.Script::sha256));
    }

    /** The scripts the manifest lists with this content hash (several paths may share content). */
    public List<ImageEntry.Script> scripts(String sha256) {
        return scriptsBySha.getOrDefault(sha256, List.of());
    }

    /** Whether the manifest lists content {@code scriptSha} as a script for an interpreter with content {@code interpreterSha}. */
    public boolean listsScriptFor(String scriptSha, String interpreterSha) {
        return scripts(scriptSha).stream().anyMatch(s -> interpreterSha.equals(executableSha(s.interpreter())));
    }

    /** The content hash of the executable at {@code path} in the manifest, or null. */
    public String executableSha(String path) {
        return bundle.lookup(path).filter(e -> e instanceof ImageEntry.Executable)
                .map(e -> ((ImageEntry.Executable) e).sha256()).orElse(null);
    }

    public List<ImageEntry> entries() {
        return bundle.manifest().entries();
    }

    public VerifiedBundle bundle() {
        return bundle;
    }

    /** The executable the manifest lists with this content hash, wherever it lies. */
    public Optional<ImageEntry.Executable> executable(String sha256) {
        return Optional.ofNullable(executablesBySha.get(sha256));
    }

    public Optional<ImageEntry> lookup(String path) {
        return bundle.lookup(path);
    }

    /** A blob's bytes; a bundle changed on disk after verification is a fatal host error. */
    public byte[] blob(String sha256) {
        try {
            return bundle.readBlob(sha256);
        } catch (BundleException e) {
            throw new IllegalStateException(e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * The AOT code of an executable in engine mode aot, or null for one that runs on the interpreter: its class
     * blobs read hash-checked from the bundle, then defined, linked and instantiated by an {@link AotClassLoader}
     * (once per module hash). A blob that cannot be read or decoded, or a class the JVM refuses, is an
     * {@link AotClassLoader.Refused}: the bundle's fault, reported before the program runs.
     */
    public CompiledModule compiled(ImageEntry.Executable e) {
        if (e.engine() != EngineMode.AOT) return null;
        return compiled.computeIfAbsent(e.sha256(), k -> {
            try {
                return AotClassLoader.load(e.path(), bundle.loadAotClasses(e));
            } catch (BundleException ex) {
                throw new AotClassLoader.Refused(ex.getMessage(), ex);
            } catch (IOException ex) {
                throw new AotClassLoader.Refused(e.path() + ": cannot read its AOT classes: " + ex.getMessage(), ex);
            }
        });
    }

    public ModuleImage image(ImageEntry.Executable e) {
        return images.computeIfAbsent(e.sha256(), k -> {
            try {
                return bundle.loadImage(e);
            } catch (BundleException ex) {
                throw new IllegalStateException(ex.getMessage(), ex);
            } catch (IOException ex) {
                throw new UncheckedIOException(ex);
            }
        });
    }
}
