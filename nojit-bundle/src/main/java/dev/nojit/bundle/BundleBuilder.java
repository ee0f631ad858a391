package dev.nojit.bundle;

import dev.nojit.bundle.dsse.DsseSigner;
import dev.nojit.bundle.dsse.Envelope;
import dev.nojit.bundle.manifest.Compat;
import dev.nojit.bundle.manifest.EngineMode;
import dev.nojit.bundle.manifest.ContainerPath;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.ImageEntry.BlobRef;
import dev.nojit.bundle.manifest.ImageEntry.DataFile;
import dev.nojit.bundle.manifest.ImageEntry.Directory;
import dev.nojit.bundle.manifest.ImageEntry.Executable;
import dev.nojit.bundle.manifest.ImageEntry.ModuleInfo;
import dev.nojit.bundle.manifest.ImageEntry.Script;
import dev.nojit.bundle.manifest.Manifest;
import dev.nojit.bundle.manifest.ManifestCodec;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.bundle.manifest.PredecodedFormat;
import dev.nojit.bundle.tar.TarWriter;
import dev.nojit.bundle.verify.ModuleVerifier;

import java.io.BufferedOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermission;
import java.security.KeyPair;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.LongConsumer;
import java.util.stream.Stream;

/**
 * Builds a signed bundle from host files: reads each input once, statically verifies every
 * module and translates it to the engine's pre-decoded image, names every content by its
 * SHA-256, completes the directory tree, signs the canonical manifest and writes the archive
 * atomically (a temporary file beside the output, fsynced, then renamed), so a failed build
 * leaves nothing behind.
 */
public final class BundleBuilder {
    public static final String BUILDER_NAME = "nojit";
    private static final int DIR_MODE = 0755, EXEC_MODE = 0755, DATA_MODE = 0644;

    private final Map<String, Pending> inputs = new LinkedHashMap<>();
    private final Map<String, List<Compat>> compat = new TreeMap<>();
    private EngineMode engine = EngineMode.INTERPRETER;
    private final Map<String, EngineMode> engineByPath = new TreeMap<>();
    private AotTranslator translator;
    private java.util.function.Consumer<String> notices = line -> { };
    private Policy policy = Policy.defaults();
    private Instant created = Instant.now();
    private String builderVersion = "dev";
    private LongConsumer progress = bytes -> { };

    /** An input before it is read: where its bytes come from, and what it becomes. */
    private sealed interface Pending {
        record Exec(Path file) implements Pending {}
        /** {@code fromTree}: listed by {@link #scriptDirectory}, whose files' {@code #!} lines are not checked. */
        record ScriptFile(Path file, String interpreter, boolean fromTree) implements Pending {}
        record Data(Path file, int mode) implements Pending {}
        record Dir() implements Pending {}
    }

    /** What a build produced. */
    public record Result(Path out, String megabinarySha256, String manifestSha256, Manifest manifest, long bytes) {}

    public BundleBuilder executable(String path, Path wasm) throws BundleException {
        return put(path, new Pending.Exec(wasm));
    }

    public BundleBuilder script(String path, Path file, String interpreter) throws BundleException {
        ContainerPath.check(interpreter);
        return put(path, new Pending.ScriptFile(file, interpreter, false));
    }

    public BundleBuilder file(String path, Path file) throws BundleException {
        return put(path, new Pending.Data(file, DATA_MODE));
    }

    /**
     * Adds a host directory tree as data files under {@code path}: subdirectories become
     * directories, files keep only their owner-execute bit (0755 or 0644), anything else
     * (symbolic links, devices, sockets) is refused.
     */
    public BundleBuilder directory(String path, Path dir) throws BundleException, IOException {
        return tree("--dir", path, dir, p -> new Pending.Data(p, hostMode(p)));
    }

    /**
     * Adds a host directory tree under {@code path} with every regular file a script for
     * {@code interpreter} (an executable of this bundle): an interpreter's library, such as
     * Python's standard library and site-packages, whose files the interpreter loads as code and
     * so checks with {@code AT_EXECVE_CHECK}, which refuses a data file under {@code scripts:
     * manifest-only}. Subdirectories become directories; symbolic links and special files are
     * refused, as by {@link #directory}. Unlike {@link #script}, a file's {@code #!} line is not
     * checked against {@code interpreter} (a library holds files with {@code #!/usr/bin/env
     * python3} and the like): such a file still loads through its interpreter, and an exec of it
     * by its {@code #!} line is refused at run time unless the line names the listed
     * interpreter's content.
     */
    public BundleBuilder scriptDirectory(String path, Path dir, String interpreter) throws BundleException, IOException {
        ContainerPath.check(interpreter);
        return tree("--script-dir", path, dir, p -> new Pending.ScriptFile(p, interpreter, true));
    }

    private interface TreeFile {
        Pending of(Path file) throws IOException;
    }

    private BundleBuilder tree(String option, String path, Path dir, TreeFile fileEntry) throws BundleException, IOException {
        ContainerPath.check(path);
        if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) throw new BundleException(option + " " + path + ": " + dir + " is not a directory");
        put(path, new Pending.Dir());
        List<Path> walk;
        try (Stream<Path> s = Files.walk(dir)) {
            walk = s.sorted().toList();
        }
        for (Path p : walk) {
            if (p.equals(dir)) continue;
            String rel = dir.relativize(p).toString().replace('\\', '/');
            String target = path + "/" + rel;
            if (Files.isSymbolicLink(p)) throw new BundleException(option + " " + path + ": '" + rel + "' is a symbolic link, which an image cannot hold");
            if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) put(target, new Pending.Dir());
            else if (Files.isRegularFile(p, LinkOption.NOFOLLOW_LINKS)) put(target, fileEntry.of(p));
            else throw new BundleException(option + " " + path + ": '" + rel + "' is not a regular file or directory");
        }
        return this;
    }

    public BundleBuilder compat(String path, Compat option) throws BundleException {
        ContainerPath.check(path);
        List<Compat> list = compat.computeIfAbsent(path, p -> new ArrayList<>());
        if (!list.contains(option)) list.add(option);
        return this;
    }

    /** The engine mode of every executable without one of its own ({@link #engine(String, EngineMode)}); default interpreter. */
    public BundleBuilder engine(EngineMode mode) {
        this.engine = java.util.Objects.requireNonNull(mode);
        return this;
    }

    /** The engine mode of the executable at {@code path}. */
    public BundleBuilder engine(String path, EngineMode mode) throws BundleException {
        ContainerPath.check(path);
        EngineMode earlier = engineByPath.putIfAbsent(path, java.util.Objects.requireNonNull(mode));
        if (earlier != null && earlier != mode) throw new EngineRefused("--engine " + path + " is given as both " + earlier.jsonName() + " and " + mode.jsonName());
        return this;
    }

    /** What translates modules for the AOT engine mode; needed when any executable is AOT. */
    public BundleBuilder aotTranslator(AotTranslator translator) {
        this.translator = translator;
        return this;
    }

    /** Whether a translator for the AOT engine mode was given ({@link #aotTranslator}). */
    public boolean hasAotTranslator() {
        return translator != null;
    }

    /** Called with each notice line of the build (an AOT summary, a module kept interpreted and why). */
    public BundleBuilder onNotice(java.util.function.Consumer<String> notices) {
        this.notices = notices;
        return this;
    }

    /** An engine mode the build cannot give (the command line asked for it): a usage error, not a bad input. */
    public static final class EngineRefused extends BundleException {
        public EngineRefused(String message) {
            super(message);
        }
    }

    public BundleBuilder policy(Policy policy) {
        this.policy = policy;
        return this;
    }

    public BundleBuilder created(Instant created) {
        this.created = created.truncatedTo(ChronoUnit.SECONDS);
        return this;
    }

    public BundleBuilder builderVersion(String version) {
        this.builderVersion = version;
        return this;
    }

    /** Called with the number of input bytes read so far, for a progress display. */
    public BundleBuilder onProgress(LongConsumer progress) {
        this.progress = progress;
        return this;
    }

    /** Total bytes of the host files to read, for a progress display. */
    public long inputBytes() throws IOException {
        long total = 0;
        for (Pending p : inputs.values()) {
            Path f = source(p);
            if (f != null && Files.isRegularFile(f)) total += Files.size(f);
        }
        return total;
    }

    public Result build(KeyPair key, Path out) throws BundleException, IOException {
        if (created.getEpochSecond() < 0) throw new BundleException("creation time before 1970 is not supported");
        for (String path : engineByPath.keySet()) {
            if (!(inputs.get(path) instanceof Pending.Exec)) throw new EngineRefused("--engine " + path + ": not an executable of this bundle");
        }
        Map<String, byte[]> blobs = new TreeMap<>();
        List<ImageEntry> entries = new ArrayList<>();
        Set<String> declaredDirs = new TreeSet<>();
        long read = 0;
        for (Map.Entry<String, Pending> in : inputs.entrySet()) {
            String path = in.getKey();
            Pending p = in.getValue();
            if (p instanceof Pending.Dir) {
                declaredDirs.add(path);
                continue;
            }
            byte[] bytes = readInput(path, source(p));
            read += bytes.length;
            progress.accept(read);
            String sha = Sha256.hex(bytes);
            blobs.putIfAbsent(sha, bytes);
            entries.add(switch (p) {
                case Pending.Exec e -> {
                    var verified = ModuleVerifier.verify(path, bytes);
                    // The engine's form of exactly the bytes just verified, translated from that one parse.
                    byte[] image = ModuleImages.predecode(path, bytes, verified.module());
                    String imageSha = Sha256.hex(image);
                    blobs.putIfAbsent(imageSha, image);
                    BlobRef predecoded = new BlobRef(PredecodedFormat.NOJIT_IMAGE, imageSha, image.length);
                    List<BlobRef> classes = aotClasses(path, bytes, sha, verified, blobs);
                    yield new Executable(path, EXEC_MODE, sha, bytes.length,
                            new ModuleInfo(verified.personalities(), predecoded, classes), compat.getOrDefault(path, List.of()));
                }
                case Pending.ScriptFile s -> {
                    if (!s.fromTree()) checkShebang(path, bytes, s.interpreter());
                    yield new Script(path, EXEC_MODE, sha, bytes.length, s.interpreter());
                }
                case Pending.Data d -> new DataFile(path, d.mode(), sha, bytes.length);
                case Pending.Dir d -> throw new IllegalStateException("unreachable");
            });
        }
        for (String path : compat.keySet()) {
            if (!(inputs.get(path) instanceof Pending.Exec)) throw new BundleException("--compat " + path + ": not an executable of this bundle");
        }
        Policy signed = engineSummary(entries);
        entries.addAll(directories(entries, declaredDirs));
        entries.sort((a, b) -> a.path().compareTo(b.path()));
        Manifest manifest = Manifest.of(new Manifest.Builder(BUILDER_NAME, builderVersion), created, signed, entries);
        byte[] payload = ManifestCodec.encode(manifest);
        Envelope envelope = DsseSigner.sign(Envelope.IN_TOTO, payload, key);
        return write(out, envelope.toJson(), blobs, manifest, Sha256.hex(payload));
    }

    /**
     * The executable's AOT classes, each stored as a blob ({@link AotClassBlob}), entry first; none when it runs
     * on the interpreter. A module importing a WALI syscall that forks is translated with deoptimization handlers
     * at its call sites: fork copies the interpreter's frames, which are data, while AOT code keeps its frames on
     * the JVM's stack; with the handlers, a fork under compiled frames rebuilds them as interpreter frames first.
     */
    private List<BlobRef> aotClasses(String path, byte[] wasm, String sha, ModuleVerifier.VerifiedModule verified,
                                     Map<String, byte[]> blobs) throws BundleException, IOException {
        EngineMode mode = engineByPath.getOrDefault(path, engine);
        if (mode != EngineMode.AOT) return List.of();
        List<String> forking = verified.forkingImports();
        if (translator == null) throw new BundleException(path + ": engine aot, but no AOT translator was given");
        AotTranslator.Translation t = translator.translate(path, wasm, verified.personalities(), !forking.isEmpty());
        if (!forking.isEmpty()) {
            String imports = "imports " + String.join(", ", forking);
            // compiled code calling a function left to the interpreter runs it in a nested interpreter run, under
            // which a fork cannot deoptimize (ENOSYS): under a bare --engine aot such a module stays interpreted
            // as a whole; named (--engine PATH=aot) it runs AOT, and only forks under those functions fail
            int left = t.leftToInterpreter();
            if (left > 0 && engineByPath.get(path) != EngineMode.AOT) {
                notices.accept(path + ": stays interpreted (" + imports + ", and " + left + " of its functions are left"
                        + " to the interpreter: a fork under them could not be deoptimized; --engine " + path + "=aot runs it AOT)");
                return List.of();
            }
            notices.accept(path + ": deoptimization at call sites (" + imports
                    + ": a fork under compiled frames continues them on the interpreter"
                    + (left > 0 ? "; a fork under its " + left + " functions left to the interpreter fails with ENOSYS" : "") + ")");
        }
        List<AotTranslator.GeneratedClass> classes = t.classes();
        if (classes.isEmpty()) throw new BundleException(path + ": the AOT translator produced no classes");
        if (classes.size() > Manifest.MAX_AOT_CLASSES) throw new BundleException(path + ": the AOT translator produced " + classes.size() + " classes, over the limit of " + Manifest.MAX_AOT_CLASSES);
        Set<String> names = new TreeSet<>();
        List<BlobRef> refs = new ArrayList<>(classes.size());
        for (int i = 0; i < classes.size(); i++) {
            AotTranslator.GeneratedClass c = classes.get(i);
            byte[] blob;
            try {
                blob = AotClassBlob.encode(sha, c.name(), c.classFile());
            } catch (BundleException e) {
                throw new BundleException(path + ": " + e.getMessage());
            }
            if (!names.add(c.name())) throw new BundleException(path + ": the AOT translator produced class " + c.name() + " twice");
            if (c.name().endsWith("_0") != (i == 0)) throw new BundleException(path + ": the AOT translator's entry class (_0) must come first, and only first");
            String blobSha = Sha256.hex(blob);
            blobs.putIfAbsent(blobSha, blob);
            refs.add(new BlobRef(AotClassBlob.FORMAT, blobSha, blob.length));
        }
        if (t.summary() != null && !t.summary().isBlank()) notices.accept(path + ": " + t.summary().strip());
        return refs;
    }

    /**
     * The policy's {@code engine}: {@code aot} when an executable runs AOT classes, else {@code interpreter}. A
     * policy that asked for {@code aot} while no executable runs AOT is refused, not silently changed.
     */
    private Policy engineSummary(List<ImageEntry> entries) throws BundleException {
        boolean anyAot = entries.stream().anyMatch(e -> e instanceof Executable x && x.engine() == EngineMode.AOT);
        if (!anyAot && policy.engine().equals(EngineMode.AOT.jsonName())) {
            throw new BundleException("policy engine is aot but no executable runs AOT (give --engine aot or --engine PATH=aot)");
        }
        return policy.with("engine", (anyAot ? EngineMode.AOT : EngineMode.INTERPRETER).jsonName());
    }

    private Result write(Path out, byte[] envelope, Map<String, byte[]> blobs, Manifest manifest, String manifestSha)
            throws BundleException, IOException {
        Path abs = out.toAbsolutePath();
        if (Files.isDirectory(abs)) throw new BundleException("--out " + out + " is a directory");
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) throw new BundleException("--out " + out + ": directory " + dir + " does not exist");
        Path tmp = Files.createTempFile(dir, "." + abs.getFileName() + ".", ".tmp");
        boolean done = false;
        try {
            var sha = Sha256.newDigest();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE, StandardOpenOption.TRUNCATE_EXISTING)) {
                OutputStream os = new java.security.DigestOutputStream(new BufferedOutputStream(Channels.newOutputStream(ch), 1 << 16), sha);
                TarWriter tar = new TarWriter(os, created.getEpochSecond());
                tar.add(BundleFormat.ENVELOPE, envelope);
                for (Map.Entry<String, byte[]> b : blobs.entrySet()) tar.add(BundleFormat.blobName(b.getKey()), b.getValue());
                tar.finish();
                ch.force(true);
            }
            Files.setPosixFilePermissions(tmp, EnumSet.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE,
                    PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ));
            try {
                Files.move(tmp, abs, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, abs, StandardCopyOption.REPLACE_EXISTING);
            }
            done = true;
            return new Result(out, Sha256.toHex(sha.digest()), manifestSha, manifest, Files.size(abs));
        } finally {
            if (!done) Files.deleteIfExists(tmp);
        }
    }

    /** Directory entries for every ancestor of every entry, plus the declared ones. */
    private static List<ImageEntry> directories(List<ImageEntry> files, Set<String> declared) throws BundleException {
        Set<String> dirs = new TreeSet<>(declared);
        Set<String> filePaths = new TreeSet<>();
        for (ImageEntry e : files) filePaths.add(e.path());
        for (String p : new ArrayList<>(dirs)) addAncestors(p, dirs);
        for (ImageEntry e : files) addAncestors(e.path(), dirs);
        for (String d : dirs) {
            if (filePaths.contains(d)) throw new BundleException("'" + d + "' is both a file and a directory");
        }
        return dirs.stream().map(d -> (ImageEntry) new Directory(d, DIR_MODE)).toList();
    }

    private static void addAncestors(String path, Set<String> dirs) {
        for (String p = ContainerPath.parent(path); !p.equals("/"); p = ContainerPath.parent(p)) dirs.add(p);
    }

    /** A script that names its interpreter with "#!" must name the one the manifest will. */
    private static void checkShebang(String path, byte[] bytes, String interpreter) throws BundleException {
        if (bytes.length < 2 || bytes[0] != '#' || bytes[1] != '!') return;
        int end = 2;
        while (end < bytes.length && end < 4096 && bytes[end] != '\n') end++;
        String line = new String(bytes, 2, end - 2, StandardCharsets.UTF_8).strip();
        String named = line.split("[ \t]+", 2)[0];
        if (!named.equals(interpreter)) {
            throw new BundleException("script " + path + ": its #! line names '" + named + "' but --interpreter is '" + interpreter + "'");
        }
    }

    private BundleBuilder put(String path, Pending p) throws BundleException {
        ContainerPath.check(path);
        if (inputs.putIfAbsent(path, p) != null) throw new BundleException("container path '" + path + "' is given twice");
        return this;
    }

    private static Path source(Pending p) {
        return switch (p) {
            case Pending.Exec e -> e.file();
            case Pending.ScriptFile s -> s.file();
            case Pending.Data d -> d.file();
            case Pending.Dir d -> null;
        };
    }

    private static int hostMode(Path p) throws IOException {
        try {
            return Files.getPosixFilePermissions(p, LinkOption.NOFOLLOW_LINKS).contains(PosixFilePermission.OWNER_EXECUTE) ? EXEC_MODE : DATA_MODE;
        } catch (UnsupportedOperationException e) {
            return DATA_MODE;
        }
    }

    private static byte[] readInput(String path, Path file) throws BundleException, IOException {
        try {
            if (!Files.exists(file)) throw new BundleException(path + ": file not found: " + file);
            if (!Files.isRegularFile(file)) throw new BundleException(path + ": " + file + " is not a regular file");
            // Read once and keep these bytes: they are what is hashed, verified and written.
            try (var ch = FileChannel.open(file, StandardOpenOption.READ)) {
                long size = ch.size();
                if (size > BundleLimits.MAX_BLOB_BYTES) throw new BundleException(path + ": " + file + " is over the limit of " + BundleLimits.MAX_BLOB_BYTES + " bytes");
                byte[] bytes = Channels.newInputStream(ch).readNBytes((int) size + 1);
                if (bytes.length != size) throw new BundleException(path + ": " + file + " changed size while being read");
                return bytes;
            }
        } catch (NoSuchFileException e) {
            throw new BundleException(path + ": file not found: " + file);
        }
    }
}
