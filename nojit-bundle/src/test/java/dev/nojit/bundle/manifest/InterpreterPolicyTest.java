package dev.nojit.bundle.manifest;

import dev.nojit.bundle.BundleException;
import dev.nojit.bundle.json.CanonicalJson;
import dev.nojit.bundle.json.StrictObject;
import dev.nojit.bundle.manifest.ImageEntry.BlobRef;
import dev.nojit.bundle.manifest.ImageEntry.DataFile;
import dev.nojit.bundle.manifest.ImageEntry.Directory;
import dev.nojit.bundle.manifest.ImageEntry.Executable;
import dev.nojit.bundle.manifest.ImageEntry.ModuleInfo;
import dev.nojit.bundle.manifest.ImageEntry.Script;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;

import static dev.nojit.bundle.manifest.ManifestTest.BUILDER;
import static dev.nojit.bundle.manifest.ManifestTest.T;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The policy's interpreters member: signed in full, validated against the image, looked up by content. */
class InterpreterPolicyTest {
    static final String BASH_SHA = "1".repeat(64), LUA_SHA = "2".repeat(64), DATA_SHA = "3".repeat(64), IMAGE_SHA = "4".repeat(64);
    static final InterpreterSpec BASH = InterpreterSpec.profile("bash").orElseThrow();
    static final InterpreterSpec LUA = InterpreterSpec.profile("lua").orElseThrow();
    static final Policy MANIFEST_ONLY = Policy.defaults().with("scripts", "manifest-only");

    static Executable exec(String path, String sha) {
        return new Executable(path, 0755, sha, 10, new ModuleInfo(List.of("wali"), new BlobRef(PredecodedFormat.NOJIT_IMAGE, IMAGE_SHA, 3)), List.of());
    }

    /** /bin/bash and /bin/sh are one content; /usr/bin/lua another; a bash script, a lua script, a data file. */
    static List<ImageEntry> image() {
        return List.of(new Directory("/bin", 0755), exec("/bin/bash", BASH_SHA), exec("/bin/sh", BASH_SHA),
                new Directory("/etc", 0755), new DataFile("/etc/motd", 0644, DATA_SHA, 3),
                new Script("/task.lua", 0755, DATA_SHA, 3, "/usr/bin/lua"), new Script("/task.sh", 0755, DATA_SHA, 3, "/bin/sh"),
                new Directory("/usr", 0755), new Directory("/usr/bin", 0755), exec("/usr/bin/lua", LUA_SHA));
    }

    static Manifest manifest(Policy policy) throws BundleException {
        return Manifest.of(BUILDER, T, policy, image());
    }

    @Test
    void roundTripKeepsTheFullSpecsCanonical() throws Exception {
        Manifest m = manifest(MANIFEST_ONLY.withInterpreters(Map.of("/bin/sh", BASH, "/usr/bin/lua", LUA)));
        byte[] payload = ManifestCodec.encode(m);
        assertThat(CanonicalJson.isCanonical(payload)).isTrue();
        assertThat(ManifestCodec.decode(payload)).isEqualTo(m);
        assertThat(ManifestCodec.encode(ManifestCodec.decode(payload))).isEqualTo(payload);
        String json = new String(payload, StandardCharsets.UTF_8);
        assertThat(json).contains("\"interpreters\":{\"/bin/sh\":{\"codeVariables\":[\"BASHOPTS\",\"BASH_ENV\",\"BASH_FUNC_*\",\"ENV\",\"PS4\"],"
                        + "\"dash\":\"end-of-options\",\"flags\":[")
                .contains("\"/usr/bin/lua\":{\"codeVariables\":[\"LUA_INIT*\"],\"dash\":\"stdin\",\"flags\":[\"-E\",\"-W\",\"-v\"],"
                        + "\"inlineCode\":[\"-e\",\"-l\"],\"interactive\":[\"-i\"],\"loginArgv0\":false,\"optionArgument\":\"attached-or-next\","
                        + "\"plusOptions\":false,\"scriptFile\":[],\"singleDashLongOptions\":false,\"stdinCode\":[],\"takesArgument\":[]}")
                .doesNotContain("\"bash\"").doesNotContain("\"lua\"");
    }

    @Test
    void thePythonProfileRoundTripsAsItsFullSpec() throws Exception {
        InterpreterSpec python = InterpreterSpec.profile("python").orElseThrow();
        // A policy file names the profile; the signed manifest holds the full spec, and decodes to the same spec.
        Policy p = policyFile("{\"scripts\":\"manifest-only\",\"interpreters\":{\"/bin/sh\":\"bash\",\"/usr/bin/lua\":\"python\"}}");
        assertThat(p.interpreters()).containsEntry("/usr/bin/lua", python);
        Manifest m = manifest(p);
        byte[] payload = ManifestCodec.encode(m);
        assertThat(ManifestCodec.decode(payload)).isEqualTo(m);
        assertThat(ManifestCodec.decode(payload).interpreterSpec(LUA_SHA)).contains(python);
        assertThat(new String(payload, StandardCharsets.UTF_8))
                .contains("\"/usr/bin/lua\":{\"codeVariables\":[\"PYTHONBREAKPOINT\",\"PYTHONEXECUTABLE\",\"PYTHONHOME\",\"PYTHONINSPECT\","
                        + "\"PYTHONPATH\",\"PYTHONPLATLIBDIR\",\"PYTHONPYCACHEPREFIX\",\"PYTHONSTARTUP\",\"PYTHONUSERBASE\",\"__PYVENV_LAUNCHER__\"],"
                        + "\"dash\":\"stdin-always\",")
                .contains("\"inlineCode\":[\"-X\",\"-c\",\"-m\"],\"interactive\":[\"-i\"],\"loginArgv0\":false,"
                        + "\"optionArgument\":\"attached-or-next\",\"plusOptions\":false,\"scriptFile\":[],\"singleDashLongOptions\":false,"
                        + "\"stdinCode\":[],\"takesArgument\":[\"--check-hash-based-pycs\",\"-W\"]}")
                .doesNotContain("\"python\"");
    }

    @Test
    void aPolicyWithoutInterpretersEncodesAsBefore() throws Exception {
        String json = new String(ManifestCodec.encode(manifest(Policy.defaults())), StandardCharsets.UTF_8);
        assertThat(json).doesNotContain("interpreters");
    }

    @Test
    void theSpecIsFoundByContentWhereverItLies() throws Exception {
        Manifest m = manifest(MANIFEST_ONLY.withInterpreters(Map.of("/bin/bash", BASH, "/usr/bin/lua", LUA)));
        // /task.sh names /bin/sh, which has no spec of its own but bash's content: accepted, and it gets bash's spec.
        assertThat(m.interpreterSpec(BASH_SHA)).contains(BASH);
        assertThat(m.interpreterSpec(LUA_SHA)).contains(LUA);
        assertThat(m.interpreterSpec(DATA_SHA)).isEmpty();
        assertThat(m.interpreterSpec(IMAGE_SHA)).isEmpty();
        assertThat(manifest(Policy.defaults()).interpreterSpec(BASH_SHA)).isEmpty();
    }

    @Test
    void buildRefusals() {
        assertRefused(MANIFEST_ONLY.withInterpreters(Map.of("/usr/bin/lua", LUA)),
                "scripts: manifest-only needs an interpreter spec for /bin/sh (named by script /task.sh)");
        assertRefused(MANIFEST_ONLY, "scripts: manifest-only needs an interpreter spec for /usr/bin/lua (named by script /task.lua)");
        assertRefused(Policy.defaults().withInterpreters(Map.of("/etc/motd", BASH)), "policy interpreters: '/etc/motd' is not an executable of this bundle");
        assertRefused(Policy.defaults().withInterpreters(Map.of("/task.sh", BASH)), "'/task.sh' is not an executable of this bundle");
        assertRefused(Policy.defaults().withInterpreters(Map.of("/bin/zsh", BASH)), "'/bin/zsh' is not an executable of this bundle");
        assertRefused(Policy.defaults().withInterpreters(Map.of("/bin/bash", BASH, "/bin/sh", LUA)),
                "policy interpreters: '/bin/bash' and '/bin/sh' have the same content but different specs");
        InterpreterSpec unsorted = new InterpreterSpec(List.of("-l", "-e"), List.of(), List.of(), List.of(), List.of(), List.of(),
                InterpreterSpec.OptionArgument.NEXT, false, false, InterpreterSpec.Dash.STDIN, false, List.of());
        assertRefused(Policy.defaults().withInterpreters(Map.of("/usr/bin/lua", unsorted)),
                "policy interpreters: '/usr/bin/lua': inlineCode must be sorted and distinct");
    }

    @Test
    void viaInterpreterNeedsNoSpecAndMayStillCarryOne() throws Exception {
        assertThat(manifest(Policy.defaults()).policy().interpreters()).isEmpty();
        assertThat(manifest(Policy.defaults().withInterpreters(Map.of("/bin/sh", BASH))).interpreterSpec(BASH_SHA)).contains(BASH);
    }

    @Test
    void decodeRefusesBadSpecsNamingTheField() throws Exception {
        String good = new String(ManifestCodec.encode(manifest(MANIFEST_ONLY.withInterpreters(Map.of("/bin/sh", BASH, "/usr/bin/lua", LUA)))),
                StandardCharsets.UTF_8);
        assertDecodeRefused(good.replace("\"dash\":\"stdin\",", "\"dash\":\"stdin\",\"extra\":1,"),
                "unknown member 'predicate.policy.interpreters./usr/bin/lua.extra'");
        assertDecodeRefused(good.replace("\"dash\":\"stdin\"", "\"dash\":\"file\""),
                "predicate.policy.interpreters./usr/bin/lua.dash is 'file', not stdin, end-of-options or stdin-always");
        assertDecodeRefused(good.replace("\"optionArgument\":\"attached-or-next\"", "\"optionArgument\":\"later\""),
                "interpreters./usr/bin/lua.optionArgument is 'later'");
        assertDecodeRefused(good.replace("\"plusOptions\":false", "\"plusOptions\":\"no\""), "interpreters./usr/bin/lua.plusOptions must be true or false");
        assertDecodeRefused(good.replace(",\"loginArgv0\":false", ""), "interpreters./usr/bin/lua.loginArgv0 is missing");
        assertDecodeRefused(good.replace("\"inlineCode\":[\"-e\",\"-l\"]", "\"inlineCode\":[\"-l\",\"-e\"]"),
                "predicate.policy.interpreters./usr/bin/lua: inlineCode must be sorted and distinct");
        assertDecodeRefused(good.replace("\"inlineCode\":[\"-e\",\"-l\"]", "\"inlineCode\":[\"-e\",7]"), "interpreters./usr/bin/lua.inlineCode[1] must be a string");
        int lua = good.indexOf("\"/usr/bin/lua\":{");
        String withProfileName = good.substring(0, lua) + "\"/usr/bin/lua\":\"lua\"}" + good.substring(good.indexOf("}}", lua) + 2);
        assertDecodeRefused(withProfileName, "interpreters./usr/bin/lua is the profile name 'lua'; a manifest holds the full spec");
        assertDecodeRefused(good.replaceFirst("\"interpreters\":\\{.*?\"takesArgument\":\\[\"-O\",\"-o\"\\]\\},", "\"interpreters\":{"),
                "manifest-only needs an interpreter spec for /bin/sh");
        String viaInterpreter = new String(ManifestCodec.encode(manifest(Policy.defaults())), StandardCharsets.UTF_8);
        assertDecodeRefused(viaInterpreter.replace("\"memory\":\"deny-exec\"", "\"interpreters\":{},\"memory\":\"deny-exec\""),
                "predicate.policy.interpreters is present but empty");
    }

    @Test
    void policyFilesMayNameProfilesAndListFlagsInAnyOrder() throws Exception {
        Policy p = policyFile("{\"scripts\":\"manifest-only\",\"interpreters\":{\"/bin/sh\":\"bash\",\"/usr/bin/lua\":{"
                + "\"inlineCode\":[\"-l\",\"-e\",\"-e\"],\"stdinCode\":[],\"interactive\":[\"-i\"],\"takesArgument\":[],\"scriptFile\":[],"
                + "\"flags\":[\"-v\",\"-W\",\"-E\"],\"optionArgument\":\"attached-or-next\",\"plusOptions\":false,"
                + "\"singleDashLongOptions\":false,\"dash\":\"stdin\",\"loginArgv0\":false,\"codeVariables\":[\"LUA_INIT*\"]}}}");
        assertThat(p).isEqualTo(MANIFEST_ONLY.withInterpreters(Map.of("/bin/sh", BASH, "/usr/bin/lua", LUA)));
        assertThatThrownBy(() -> policyFile("{\"interpreters\":{\"/bin/zsh\":\"zsh\"}}"))
                .hasMessageContaining("policy: interpreters./bin/zsh names no built-in profile 'zsh' (known: bash, lua, python)");
        assertThatThrownBy(() -> policyFile("{\"interpreters\":{\"/bin/sh\":7}}"))
                .hasMessageContaining("interpreters./bin/sh must be a profile name or a spec object");
        assertThatThrownBy(() -> policyFile("{\"interpreters\":{\"/bin/sh\":{\"inlineCode\":[\"-c\"]}}}"))
                .hasMessageContaining("interpreters./bin/sh.stdinCode is missing");
        assertThatThrownBy(() -> policyFile("{\"interpreters\":[\"bash\"]}")).hasMessageContaining("interpreters must be a JSON object");
        assertThatThrownBy(() -> policyFile("{\"interpreters\":{}}")).hasMessageContaining("interpreters is present but empty");
    }

    static Policy policyFile(String json) throws Exception {
        return ManifestCodec.decodePolicy(StrictObject.of(CanonicalJson.mapper().readTree(json), "", "policy"), false);
    }

    private static void assertRefused(Policy policy, String fragment) {
        assertThatThrownBy(() -> manifest(policy)).isInstanceOf(BundleException.class).hasMessageContaining(fragment);
    }

    private static void assertDecodeRefused(String json, String fragment) {
        assertThatThrownBy(() -> ManifestCodec.decode(json.getBytes(StandardCharsets.UTF_8)))
                .isInstanceOf(BundleException.class).hasMessageContaining(fragment);
    }
}
