package dev.nojit.bundle.manifest;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.BundleLimits;
import dev.nojit.bundle.json.CanonicalJson;
import dev.nojit.bundle.json.StrictObject;
import dev.nojit.bundle.manifest.ImageEntry.BlobRef;
import dev.nojit.bundle.manifest.ImageEntry.DataFile;
import dev.nojit.bundle.manifest.ImageEntry.Directory;
import dev.nojit.bundle.manifest.ImageEntry.Executable;
import dev.nojit.bundle.manifest.ImageEntry.ModuleInfo;
import dev.nojit.bundle.manifest.ImageEntry.Script;
import dev.nojit.bundle.manifest.ImageEntry.WithContent;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.node.ArrayNode;
import tools.jackson.databind.node.ObjectNode;

import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.SortedMap;
import java.util.TreeMap;
import java.util.regex.Pattern;

/**
 * The manifest's signed form: an in-toto Statement v1 in RFC 8785 canonical JSON.
 *
 * <pre>{@code
 * {
 *   "_type": "https://in-toto.io/Statement/v1",
 *   "subject": [ {"name": "/bin/hello", "digest": {"sha256": "<hex>"}}, ... ],   // every file with content, by path
 *   "predicateType": "https://nojit.dev/manifest/v1",
 *   "predicate": {
 *     "builder": {"name": "nojit", "version": "0.1.0"},
 *     "created": "2026-01-01T00:00:00Z",                                      // RFC 3339, UTC, whole seconds
 *     "policy": {"exec": "manifest-only", "scripts": "via-interpreter", "memory": "deny-exec",
 *                "onViolation": "kill-process", "engine": "interpreter",
 *                "interpreters": {                                            // only when non-empty; keys: executables
 *                  "/bin/sh": {"inlineCode": ["--debugger", "--login", "--wordexp", "-c", "-l"],  // refused outright
 *                              "stdinCode": ["-s"],            // code from stdin instead of an operand
 *                              "interactive": ["-i"],          // code from stdin as well as the operand
 *                              "takesArgument": ["-O", "-o"],  // argument is not code
 *                              "scriptFile": ["--init-file", "--rcfile"],  // argument is code: a listed script
 *                              "flags": ["--norc", ...],       // other known flags, no argument
 *                              "optionArgument": "next",       // or "attached-or-next"
 *                              "plusOptions": true, "singleDashLongOptions": true,
 *                              "dash": "end-of-options",       // or "stdin"
 *                              "loginArgv0": true,
 *                              "codeVariables": ["BASHOPTS", "BASH_ENV", "BASH_FUNC_*", "ENV", "PS4"]}}},
 *     "files": [                                                               // sorted by path, a complete tree
 *       {"path": "/bin", "kind": "directory", "mode": "0755"},
 *       {"path": "/bin/hello", "kind": "executable", "mode": "0755", "sha256": "<hex>", "size": 123,
 *        "module": {"personalities": ["wasi_snapshot_preview1"],
 *                   "predecoded": {"format": "nojit-image-v1", "sha256": "<hex>", "size": 456}},  // the engine's image
 *        "compat": ["lenient-call-indirect"]},                                 // only when non-empty
 *       {"path": "/bin/fast", "kind": "executable", "mode": "0755", "sha256": "<hex>", "size": 789,
 *        "engine": "aot",                                                      // only for AOT (absent: interpreter)
 *        "module": {"personalities": ["wali"], "predecoded": {...},
 *                   "aot": [{"format": "nojit-aot-class-v1", "sha256": "<hex>", "size": 1234}, ...]}},  // entry class first
 *       {"path": "/etc/motd", "kind": "data", "mode": "0644", "sha256": "<hex>", "size": 42},
 *       {"path": "/task.sh", "kind": "script", "mode": "0755", "sha256": "<hex>", "size": 9, "interpreter": "/bin/sh"}
 *     ]
 *   }
 * }
 * }</pre>
 *
 * Modes are four octal digits. The subject list is derived from the files and must match
 * them exactly; the reader refuses unknown members, non-canonical bytes and every invalid
 * value, naming the field. An executable's {@code predecoded} blob holds the engine's image of
 * the module ({@link PredecodedFormat}, made at build time); it is not a subject, since it is
 * derived from the module, which is.
 *
 * <p>{@code policy.interpreters} holds the full {@link InterpreterSpec} of each listed
 * interpreter (every member required, lists sorted and distinct); a {@code --policy} file may
 * give a built-in profile name ({@code "bash"}, {@code "lua"}) instead, which the builder
 * resolves, so a signed manifest never depends on what a profile meant to some version of nojit.
 *
 * <p>An executable in AOT mode has {@code "engine": "aot"} and its class blobs ({@code AotClassBlob}) in
 * {@code module.aot}, entry class first; both are present together or not at all, so a manifest written
 * before AOT mode existed reads as before (every executable interpreted) and an interpreted executable's
 * entry is byte for byte what it was. Like {@code predecoded}, the class blobs are not subjects.
 */
public final class ManifestCodec {
    private static final Pattern MODE = Pattern.compile("0[0-7]{3}");
    private static final String CONTEXT = "manifest";
    /** At most this many interpreter specs in a policy. */
    public static final int MAX_INTERPRETERS = 256;

    private ManifestCodec() {}

    /** The canonical JSON bytes of the statement: the DSSE payload, whose SHA-256 is the manifest digest. */
    public static byte[] encode(Manifest manifest) {
        ObjectNode root = CanonicalJson.mapper().createObjectNode();
        root.put("_type", Manifest.STATEMENT_TYPE);
        root.set("subject", subjects(manifest));
        root.put("predicateType", Manifest.PREDICATE_TYPE);
        ObjectNode predicate = root.putObject("predicate");
        ObjectNode builder = predicate.putObject("builder");
        builder.put("name", manifest.builder().name());
        builder.put("version", manifest.builder().version());
        predicate.put("created", manifest.created().truncatedTo(ChronoUnit.SECONDS).toString());
        ObjectNode policy = predicate.putObject("policy");
        for (String key : Policy.KEYS) policy.put(key, manifest.policy().get(key));
        if (!manifest.policy().interpreters().isEmpty()) {
            ObjectNode specs = policy.putObject(Policy.INTERPRETERS);
            manifest.policy().interpreters().forEach((path, spec) -> specs.set(path, encodeSpec(spec)));
        }
        ArrayNode files = predicate.putArray("files");
        for (ImageEntry e : manifest.entries()) files.add(encodeEntry(e));
        return CanonicalJson.canonicalize(root);
    }

    private static ArrayNode subjects(Manifest manifest) {
        ArrayNode subjects = CanonicalJson.mapper().createArrayNode();
        for (ImageEntry e : manifest.entries()) {
            if (e instanceof WithContent f) {
                ObjectNode s = subjects.addObject();
                s.put("name", f.path());
                s.putObject("digest").put("sha256", f.sha256());
            }
        }
        return subjects;
    }

    /** One interpreter spec as the manifest holds it: every member, lists as given (sorted). */
    private static ObjectNode encodeSpec(InterpreterSpec spec) {
        ObjectNode o = CanonicalJson.mapper().createObjectNode();
        spec.flagLists().forEach((member, flags) -> {
            ArrayNode list = o.putArray(member);
            flags.forEach(list::add);
        });
        o.put("optionArgument", spec.optionArgument().jsonName());
        o.put("plusOptions", spec.plusOptions());
        o.put("singleDashLongOptions", spec.singleDashLongOptions());
        o.put("dash", spec.dash().jsonName());
        o.put("loginArgv0", spec.loginArgv0());
        ArrayNode vars = o.putArray("codeVariables");
        spec.codeVariables().forEach(vars::add);
        return o;
    }

    private static ObjectNode encodeEntry(ImageEntry e) {
        ObjectNode o = CanonicalJson.mapper().createObjectNode();
        o.put("path", e.path());
        o.put("kind", e.kind());
        o.put("mode", String.format("%04o", e.mode()));
        if (e instanceof WithContent f) {
            o.put("sha256", f.sha256());
            o.put("size", f.size());
        }
        switch (e) {
            case Script s -> o.put("interpreter", s.interpreter());
            case Executable x -> {
                ObjectNode module = o.putObject("module");
                ArrayNode personalities = module.putArray("personalities");
                x.module().personalities().forEach(personalities::add);
                ObjectNode pre = module.putObject("predecoded");
                pre.put("format", x.module().predecoded().format());
                pre.put("sha256", x.module().predecoded().sha256());
                pre.put("size", x.module().predecoded().size());
                if (x.engine() == EngineMode.AOT) {
                    o.put("engine", EngineMode.AOT.jsonName());
                    ArrayNode classes = module.putArray("aot");
                    for (BlobRef c : x.module().aotClasses()) {
                        ObjectNode ref = classes.addObject();
                        ref.put("format", c.format());
                        ref.put("sha256", c.sha256());
                        ref.put("size", c.size());
                    }
                }
                if (!x.compat().isEmpty()) {
                    ArrayNode compat = o.putArray("compat");
                    x.compat().forEach(c -> compat.add(c.jsonName()));
                }
            }
            case Directory d -> { }
            case DataFile d -> { }
        }
        return o;
    }

    /** Parses and fully validates a signed payload. */
    public static Manifest decode(byte[] payload) throws BundleException {
        JsonNode root;
        try {
            root = CanonicalJson.mapper().readTree(payload);
        } catch (JacksonException | IllegalArgumentException e) {
            throw new BundleException("manifest is not valid JSON: " + firstLine(e.getMessage()));
        }
        if (!CanonicalJson.isCanonical(payload)) {
            throw new BundleException("manifest is not in RFC 8785 canonical form");
        }
        StrictObject statement = StrictObject.of(root, "", CONTEXT);
        String type = statement.string("_type");
        if (!Manifest.STATEMENT_TYPE.equals(type)) throw statement.invalid("_type", "is '" + type + "', not " + Manifest.STATEMENT_TYPE);
        String predicateType = statement.string("predicateType");
        if (!Manifest.PREDICATE_TYPE.equals(predicateType)) {
            throw statement.invalid("predicateType", "is '" + predicateType + "', not " + Manifest.PREDICATE_TYPE);
        }
        List<JsonNode> subjects = statement.array("subject");
        StrictObject predicate = statement.object("predicate");
        statement.noOtherMembers();

        StrictObject builderObj = predicate.object("builder");
        Manifest.Builder builder = new Manifest.Builder(builderObj.string("name"), builderObj.string("version"));
        builderObj.noOtherMembers();
        Instant created = parseCreated(predicate);
        Policy policy = decodePolicy(predicate.object("policy"), true);
        List<JsonNode> files = predicate.array("files");
        predicate.noOtherMembers();
        if (files.size() > BundleLimits.MAX_IMAGE_ENTRIES) {
            throw new BundleException("manifest lists " + files.size() + " entries, over the limit");
        }
        List<ImageEntry> entries = new ArrayList<>(files.size());
        for (int i = 0; i < files.size(); i++) {
            entries.add(decodeEntry(StrictObject.of(files.get(i), "predicate.files[" + i + "]", CONTEXT)));
        }
        Manifest manifest = Manifest.of(builder, created, policy, entries);
        checkSubjects(manifest, subjects);
        return manifest;
    }

    /**
     * Reads a policy object. In a manifest every key is present ({@code complete}); a
     * {@code --policy} file may give only some, the rest taking their defaults. {@code
     * interpreters} is optional in both (absent means none, present must be non-empty); in a
     * manifest each value is a full, normalized spec, in a policy file it may also be a
     * built-in profile name, and its lists may come in any order.
     */
    public static Policy decodePolicy(StrictObject obj, boolean complete) throws BundleException {
        Policy policy = Policy.defaults();
        for (String key : Policy.KEYS) {
            if (!complete && !obj.has(key)) continue;
            String value = obj.string(key);
            if (!Policy.allowed(key).contains(value)) {
                throw obj.invalid(key, "is '" + value + "', not one of " + Policy.allowed(key));
            }
            policy = policy.with(key, value);
        }
        if (obj.has(Policy.INTERPRETERS)) {
            StrictObject specs = obj.object(Policy.INTERPRETERS);
            List<String> paths = specs.names();
            if (paths.isEmpty()) throw obj.invalid(Policy.INTERPRETERS, "is present but empty");
            if (paths.size() > MAX_INTERPRETERS) throw obj.invalid(Policy.INTERPRETERS, "lists " + paths.size() + " interpreters, over the limit of " + MAX_INTERPRETERS);
            SortedMap<String, InterpreterSpec> decoded = new TreeMap<>();
            for (String path : paths) decoded.put(path, decodeSpec(specs, path, complete));
            specs.noOtherMembers();
            policy = policy.withInterpreters(decoded);
        }
        obj.noOtherMembers();
        return policy;
    }

    private static InterpreterSpec decodeSpec(StrictObject specs, String path, boolean signed) throws BundleException {
        JsonNode value = specs.value(path);
        if (value.isString()) {
            String name = value.stringValue();
            if (signed) throw specs.invalid(path, "is the profile name '" + name + "'; a manifest holds the full spec");
            return InterpreterSpec.profile(name).orElseThrow(() -> specs.invalid(path,
                    "names no built-in profile '" + name + "' (known: " + String.join(", ", InterpreterSpec.PROFILES) + ")"));
        }
        if (!value.isObject()) throw specs.invalid(path, "must be a profile name or a spec object");
        StrictObject s = specs.object(path);
        List<String> inline = s.stringArray("inlineCode"), stdin = s.stringArray("stdinCode"),
                interactive = s.stringArray("interactive"), takesArgument = s.stringArray("takesArgument"),
                scriptFile = s.stringArray("scriptFile"), flags = s.stringArray("flags");
        String optionArgumentName = s.string("optionArgument");
        var optionArgument = InterpreterSpec.OptionArgument.byName(optionArgumentName).orElseThrow(
                () -> s.invalid("optionArgument", "is '" + optionArgumentName + "', not next or attached-or-next"));
        boolean plus = s.bool("plusOptions"), singleDashLong = s.bool("singleDashLongOptions");
        String dashName = s.string("dash");
        var dash = InterpreterSpec.Dash.byName(dashName).orElseThrow(
                () -> s.invalid("dash", "is '" + dashName + "', not stdin, end-of-options or stdin-always"));
        boolean login = s.bool("loginArgv0");
        List<String> variables = s.stringArray("codeVariables");
        s.noOtherMembers();
        InterpreterSpec spec = new InterpreterSpec(inline, stdin, interactive, takesArgument, scriptFile, flags,
                optionArgument, plus, singleDashLong, dash, login, variables);
        if (!signed) spec = spec.normalized();
        var problem = spec.problem();
        if (problem.isPresent()) throw s.invalidObject(problem.get());
        return spec;
    }

    private static Instant parseCreated(StrictObject predicate) throws BundleException {
        String created = predicate.string("created");
        try {
            Instant t = Instant.parse(created);
            if (!created.endsWith("Z") || !t.truncatedTo(ChronoUnit.SECONDS).toString().equals(created)) {
                throw predicate.invalid("created", "must be UTC in whole seconds, like 2026-01-01T00:00:00Z");
            }
            return t;
        } catch (DateTimeParseException e) {
            throw predicate.invalid("created", "is not an RFC 3339 time");
        }
    }

    private static ImageEntry decodeEntry(StrictObject o) throws BundleException {
        String path = o.string("path");
        String kind = o.string("kind");
        String modeText = o.string("mode");
        if (!MODE.matcher(modeText).matches()) throw o.invalid("mode", "must be four octal digits like 0755");
        int mode = Integer.parseInt(modeText, 8);
        ImageEntry entry = switch (kind) {
            case "directory" -> new Directory(path, mode);
            case "data" -> new DataFile(path, mode, o.string("sha256"), o.integer("size"));
            case "script" -> new Script(path, mode, o.string("sha256"), o.integer("size"), o.string("interpreter"));
            case "executable" -> {
                String sha = o.string("sha256");
                long size = o.integer("size");
                StrictObject module = o.object("module");
                List<String> personalities = module.stringArray("personalities");
                StrictObject pre = module.object("predecoded");
                BlobRef predecoded = new BlobRef(pre.string("format"), pre.string("sha256"), pre.integer("size"));
                pre.noOtherMembers();
                List<BlobRef> aot = decodeAot(o, module);
                module.noOtherMembers();
                List<Compat> compat = new ArrayList<>();
                if (o.has("compat")) {
                    List<String> names = o.stringArray("compat");
                    if (names.isEmpty()) throw o.invalid("compat", "is present but empty");
                    for (String name : names) {
                        compat.add(Compat.byName(name).orElseThrow(() -> o.invalid("compat", "has unknown option '" + name + "'")));
                    }
                    if (!compat.equals(compat.stream().distinct().sorted().toList())) throw o.invalid("compat", "must be sorted and distinct");
                }
                yield new Executable(path, mode, sha, size, new ModuleInfo(personalities, predecoded, aot), compat);
            }
            default -> throw o.invalid("kind", "is '" + kind + "', not directory, data, script or executable");
        };
        o.noOtherMembers();
        return entry;
    }

    /** {@code engine} and {@code module.aot}: both absent (interpreter), or {@code "aot"} and a non-empty list. */
    private static List<BlobRef> decodeAot(StrictObject exe, StrictObject module) throws BundleException {
        boolean hasEngine = exe.has("engine"), hasClasses = module.has("aot");
        if (!hasEngine && !hasClasses) return List.of();
        if (!hasEngine) throw module.invalid("aot", "is present but the executable has no \"engine\": \"aot\"");
        String engine = exe.string("engine");
        if (!EngineMode.AOT.jsonName().equals(engine)) {
            throw exe.invalid("engine", "is '" + engine + "'; only \"aot\" is written (an interpreted executable has no engine member)");
        }
        if (!hasClasses) throw exe.invalid("engine", "is \"aot\" but module.aot lists no classes");
        List<JsonNode> items = module.array("aot");
        if (items.isEmpty()) throw module.invalid("aot", "is present but empty");
        if (items.size() > Manifest.MAX_AOT_CLASSES) throw module.invalid("aot", "lists " + items.size() + " classes, over the limit of " + Manifest.MAX_AOT_CLASSES);
        List<BlobRef> classes = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            StrictObject c = StrictObject.of(items.get(i), module.path("aot") + "[" + i + "]", CONTEXT);
            classes.add(new BlobRef(c.string("format"), c.string("sha256"), c.integer("size")));
            c.noOtherMembers();
        }
        return classes;
    }

    private static void checkSubjects(Manifest manifest, List<JsonNode> subjects) throws BundleException {
        List<WithContent> files = manifest.entries().stream()
                .filter(e -> e instanceof WithContent).map(e -> (WithContent) e).toList();
        if (subjects.size() != files.size()) {
            throw new BundleException("manifest: subject lists " + subjects.size() + " files but predicate.files has " + files.size());
        }
        for (int i = 0; i < subjects.size(); i++) {
            StrictObject s = StrictObject.of(subjects.get(i), "subject[" + i + "]", CONTEXT);
            String name = s.string("name");
            StrictObject digest = s.object("digest");
            String sha = digest.string("sha256");
            digest.noOtherMembers();
            s.noOtherMembers();
            WithContent f = files.get(i);
            if (!f.path().equals(name) || !f.sha256().equals(sha)) {
                throw new BundleException("manifest: subject[" + i + "] ('" + name + "') does not match predicate file '" + f.path() + "'");
            }
        }
    }

    private static String firstLine(String s) {
        if (s == null) return "unreadable";
        int nl = s.indexOf('\n');
        return nl < 0 ? s : s.substring(0, nl);
    }
}
