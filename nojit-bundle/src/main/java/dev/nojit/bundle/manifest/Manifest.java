package dev.nojit.bundle.manifest;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.BundleLimits;
import dev.nojit.bundle.Sha256;
import dev.nojit.bundle.manifest.ImageEntry.BlobRef;
import dev.nojit.bundle.manifest.ImageEntry.Directory;
import dev.nojit.bundle.manifest.ImageEntry.Executable;
import dev.nojit.bundle.manifest.ImageEntry.Script;
import dev.nojit.bundle.manifest.ImageEntry.WithContent;

import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The container image and its policy, as signed. Entries are sorted by path and form a
 * complete tree: every parent of an entry is listed as a directory. Build it only through
 * {@link #of}, which checks every invariant the signed form promises.
 */
public record Manifest(Builder builder, Instant created, Policy policy, List<ImageEntry> entries) {
    public static final String STATEMENT_TYPE = "https://in-toto.io/Statement/v1";
    public static final String PREDICATE_TYPE = "https://nojit.dev/manifest/v1";
    /** Most AOT classes one executable may list. */
    public static final int MAX_AOT_CLASSES = 65_536;

    /** The tool that built the bundle. */
    public record Builder(String name, String version) {}

    public Manifest {
        entries = List.copyOf(entries);
    }

    /** Validates and returns a manifest: paths, tree, modes, digests, scripts' interpreters. */
    public static Manifest of(Builder builder, Instant created, Policy policy, List<ImageEntry> entries) throws BundleException {
        Manifest m = new Manifest(builder, created, policy, entries);
        m.validate();
        return m;
    }

    public Optional<ImageEntry> lookup(String path) {
        int lo = 0, hi = entries.size() - 1;
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            int c = entries.get(mid).path().compareTo(path);
            if (c == 0) return Optional.of(entries.get(mid));
            if (c < 0) lo = mid + 1;
            else hi = mid - 1;
        }
        return Optional.empty();
    }

    /**
     * The interpreter spec that applies to an executable with content {@code sha256}, as the
     * exec gate needs it: executables are content-addressed, so a file with the content of
     * a listed interpreter gets its spec wherever it lies. Empty when that content has no spec
     * (validation guarantees that all paths with one content agree).
     */
    public Optional<InterpreterSpec> interpreterSpec(String sha256) {
        for (Map.Entry<String, InterpreterSpec> e : policy.interpreters().entrySet()) {
            if (lookup(e.getKey()).orElse(null) instanceof Executable x && x.sha256().equals(sha256)) return Optional.of(e.getValue());
        }
        return Optional.empty();
    }

    /** Every blob the bundle must hold, by SHA-256, with its size. */
    public SortedMap<String, Long> blobs() {
        SortedMap<String, Long> blobs = new TreeMap<>();
        for (ImageEntry e : entries) {
            if (e instanceof WithContent f) blobs.put(f.sha256(), f.size());
            if (e instanceof Executable x) {
                blobs.put(x.module().predecoded().sha256(), x.module().predecoded().size());
                for (BlobRef c : x.module().aotClasses()) blobs.put(c.sha256(), c.size());
            }
        }
        return blobs;
    }

    /** The executables that run AOT classes, by path. */
    public List<Executable> aotExecutables() {
        return entries.stream().filter(e -> e instanceof Executable x && x.engine() == EngineMode.AOT).map(e -> (Executable) e).toList();
    }

    private void validate() throws BundleException {
        if (builder == null || builder.name() == null || builder.name().isBlank() || builder.version() == null || builder.version().isBlank()) {
            throw new BundleException("manifest: builder name and version are required");
        }
        if (created == null) throw new BundleException("manifest: creation time is required");
        validatePolicy();
        if (entries.size() > BundleLimits.MAX_IMAGE_ENTRIES) {
            throw new BundleException("manifest lists " + entries.size() + " entries, over the limit of " + BundleLimits.MAX_IMAGE_ENTRIES);
        }
        Map<String, ImageEntry> byPath = new HashMap<>();
        Map<String, Long> sizeByHash = new HashMap<>();
        String previous = null;
        for (ImageEntry e : entries) {
            String path = ContainerPath.check(e.path());
            if (previous != null && previous.compareTo(path) >= 0) {
                throw new BundleException(previous.equals(path)
                        ? "manifest lists '" + path + "' twice"
                        : "manifest entries are not sorted by path at '" + path + "'");
            }
            previous = path;
            if (e.mode() < 0 || e.mode() > 0777) throw new BundleException("'" + path + "': mode " + Integer.toOctalString(e.mode()) + " has bits other than permissions");
            if (e instanceof WithContent f) {
                checkBlob(path, f.sha256(), f.size(), sizeByHash);
            }
            if (e instanceof Executable x) {
                BlobRef p = x.module().predecoded();
                if (!PredecodedFormat.isKnown(p.format())) throw new BundleException("'" + path + "': unknown pre-decoded format '" + p.format() + "'");
                checkBlob(path, p.sha256(), p.size(), sizeByHash);
                checkAotClasses(x, sizeByHash);
                for (String personality : x.module().personalities()) {
                    if (!Personality.isKnown(personality)) throw new BundleException("'" + path + "': unknown personality '" + personality + "'");
                }
                if (!x.module().personalities().equals(x.module().personalities().stream().distinct().sorted().toList())) {
                    throw new BundleException("'" + path + "': personalities must be sorted and distinct");
                }
            }
            byPath.put(path, e);
        }
        for (ImageEntry e : entries) {
            String parent = ContainerPath.parent(e.path());
            if (!parent.equals("/") && !(byPath.get(parent) instanceof Directory)) {
                throw new BundleException(byPath.containsKey(parent)
                        ? "'" + e.path() + "' lies under '" + parent + "', which is not a directory"
                        : "'" + e.path() + "' has no parent directory entry '" + parent + "'");
            }
            if (e instanceof Script s) {
                String interp = s.interpreter();
                if (interp == null || !ContainerPath.isValid(interp)) throw new BundleException("script '" + s.path() + "': invalid interpreter path");
                if (!(byPath.get(interp) instanceof Executable)) {
                    throw new BundleException("script '" + s.path() + "': interpreter '" + interp + "' is not an executable of this bundle");
                }
            }
        }
        validateInterpreters(byPath);
        validateEngine();
    }

    /** An AOT executable's class blobs: in the one format, at most {@link #MAX_AOT_CLASSES}, each listed once. */
    private static void checkAotClasses(Executable x, Map<String, Long> sizeByHash) throws BundleException {
        List<BlobRef> classes = x.module().aotClasses();
        if (classes.size() > MAX_AOT_CLASSES) throw new BundleException("'" + x.path() + "': " + classes.size() + " AOT classes, over the limit of " + MAX_AOT_CLASSES);
        java.util.Set<String> seen = new java.util.HashSet<>();
        for (BlobRef c : classes) {
            if (!dev.nojit.bundle.AotClassBlob.FORMAT.equals(c.format())) {
                throw new BundleException("'" + x.path() + "': unknown AOT class format '" + c.format() + "'");
            }
            checkBlob(x.path(), c.sha256(), c.size(), sizeByHash);
            if (c.size() > dev.nojit.bundle.AotClassBlob.MAX_HEADER + dev.nojit.bundle.AotClassBlob.MAX_CLASS_BYTES) {
                throw new BundleException("'" + x.path() + "': AOT class blob " + c.sha256() + " is over the limit of a class");
            }
            if (!seen.add(c.sha256())) throw new BundleException("'" + x.path() + "': AOT class blob " + c.sha256() + " is listed twice");
        }
    }

    /** The policy's {@code engine} summarizes the executables' modes ({@link Policy}): aot exactly when one runs AOT. */
    private void validateEngine() throws BundleException {
        List<Executable> aot = aotExecutables();
        String expected = (aot.isEmpty() ? EngineMode.INTERPRETER : EngineMode.AOT).jsonName();
        if (!policy.engine().equals(expected)) {
            throw new BundleException(aot.isEmpty()
                    ? "policy engine is '" + policy.engine() + "' but no executable runs AOT classes"
                    : "policy engine is '" + policy.engine() + "' but " + aot.getFirst().path() + " runs AOT classes (engine aot)");
        }
    }

    /**
     * Interpreter specs name executables; one content has one spec; and manifest-only scripts
     * need a spec for their interpreter, or the exec gate could not tell a script from inline code.
     */
    private void validateInterpreters(Map<String, ImageEntry> byPath) throws BundleException {
        Map<String, InterpreterSpec> bySha = new HashMap<>();
        Map<String, String> pathBySha = new HashMap<>();
        for (Map.Entry<String, InterpreterSpec> e : policy.interpreters().entrySet()) {
            String path = e.getKey();
            if (!(byPath.get(path) instanceof Executable x)) {
                throw new BundleException("policy interpreters: '" + path + "' is not an executable of this bundle");
            }
            InterpreterSpec spec = e.getValue();
            if (spec == null) throw new BundleException("policy interpreters: '" + path + "' has no spec");
            var problem = spec.problem();
            if (problem.isPresent()) throw new BundleException("policy interpreters: '" + path + "': " + problem.get());
            InterpreterSpec other = bySha.putIfAbsent(x.sha256(), spec);
            if (other != null && !other.equals(spec)) {
                throw new BundleException("policy interpreters: '" + pathBySha.get(x.sha256()) + "' and '" + path
                        + "' have the same content but different specs");
            }
            pathBySha.putIfAbsent(x.sha256(), path);
        }
        if (!policy.scripts().equals("manifest-only")) return;
        for (ImageEntry e : entries) {
            if (e instanceof Script s && !bySha.containsKey(((Executable) byPath.get(s.interpreter())).sha256())) {
                throw new BundleException("scripts: manifest-only needs an interpreter spec for " + s.interpreter()
                        + " (named by script " + s.path() + ")");
            }
        }
    }

    private void validatePolicy() throws BundleException {
        if (policy == null) throw new BundleException("manifest: policy is required");
        for (String key : Policy.KEYS) {
            String value = policy.get(key);
            if (!Policy.allowed(key).contains(value)) {
                throw new BundleException("policy '" + key + "': '" + value + "' is not one of " + Policy.allowed(key));
            }
        }
    }

    private static void checkBlob(String path, String sha256, long size, Map<String, Long> sizeByHash) throws BundleException {
        if (!Sha256.isHex(sha256)) throw new BundleException("'" + path + "': sha256 must be 64 lowercase hex digits");
        if (size < 0 || size > BundleLimits.MAX_BLOB_BYTES) throw new BundleException("'" + path + "': size " + size + " out of range");
        Long known = sizeByHash.putIfAbsent(sha256, size);
        if (known != null && known != size) throw new BundleException("'" + path + "': blob " + sha256 + " listed with two different sizes");
    }
}
