package dev.nojit.vkernel.policy;

import dev.nojit.audit.AuditEvent.TargetRef;
import dev.nojit.bundle.manifest.ImageEntry;
import dev.nojit.bundle.manifest.InterpreterSpec;
import dev.nojit.bundle.manifest.ScriptInvocation;
import dev.nojit.vkernel.ImageSource;
import dev.nojit.vkernel.Kernel;
import dev.nojit.vkernel.fs.ExecContent;
import dev.nojit.vkernel.fs.FileType;
import dev.nojit.vkernel.fs.Node;
import dev.nojit.vkernel.fs.Vfs;
import dev.nojit.vkernel.process.Program;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * {@code scripts} (SPEC §4). {@code via-interpreter}: a listed interpreter may read any script,
 * which is data to it. {@code manifest-only}: the command line and environment of an interpreter
 * the manifest describes ({@link InterpreterSpec}) are checked before it starts — inline code
 * ({@code bash -c}, {@code lua -e}, code in the environment) and code read from stdin (a
 * container has no terminal) are violations, and every script file it names (the operand,
 * {@code --rcfile}) must be a regular file whose content the manifest lists as a script for this
 * interpreter. Those files are pinned: the interpreter reads exactly the content checked here.
 */
final class ScriptPolicy {
    private static final int HEAD = 2;
    private final Kernel kernel;
    private final ImageSource image;

    ScriptPolicy(Kernel kernel, ImageSource image) {
        this.kernel = kernel;
        this.image = image;
    }

    boolean manifestOnly() {
        return "manifest-only".equals(kernel.enforcer().policy().scripts());
    }

    /**
     * The scripts to pin for {@code exe} started with {@code argv} and {@code env}; a Violation if
     * refused. {@code checked}: scripts the gate has already checked and pinned for this start (a
     * {@code #!} script, whose interpreter the gate matches itself): not read or hashed again.
     */
    List<Program.Pin> check(String cwd, ImageEntry.Executable exe, List<byte[]> argv, List<byte[]> env, List<Program.Pin> checked) {
        if (!manifestOnly() || !kernel.checks().on(PolicyCheck.INTERPRETER_CODE)) return List.of();
        Optional<InterpreterSpec> spec = image.bundle().manifest().interpreterSpec(exe.sha256());
        if (spec.isEmpty()) return List.of();
        ScriptInvocation invocation = spec.get().classifyRaw(argv, env);
        return switch (invocation) {
            case ScriptInvocation.InlineCode c ->
                    throw Violation.codeLoad("inline code for " + exe.path() + " (" + c.flag() + "); scripts: manifest-only", null);
            case ScriptInvocation.StdinCode s ->
                    throw Violation.codeLoad("code for " + exe.path() + " from stdin (" + s.why() + "), which is no terminal; scripts: manifest-only", null);
            case ScriptInvocation.ScriptOperand o -> {
                List<Program.Pin> pins = new ArrayList<>();
                for (ScriptInvocation.ScriptFile f : o.scriptFiles()) {
                    Program.Pin pin = listedScript(cwd, exe, f, checked);
                    if (pin != null) pins.add(pin);
                }
                yield pins;
            }
        };
    }

    /** A script file named on the command line: it must be a listed script for {@code exe}; null when already checked. */
    private Program.Pin listedScript(String cwd, ImageEntry.Executable exe, ScriptInvocation.ScriptFile f, List<Program.Pin> checked) {
        String path = new String(InterpreterSpec.rawBytes(f.path()), StandardCharsets.UTF_8);
        Vfs vfs = kernel.vfs();
        String canonical;
        ExecContent content;
        synchronized (vfs.lock()) {
            Vfs.Resolved r = vfs.resolve(cwd, path, true);
            Node node = r.existing();
            canonical = r.path();
            String at = canonical;
            if (checked.stream().anyMatch(pin -> pin.path().equals(at))) return null;
            // Devices, pipes and /proc files are not listed files, and are never read to be hashed.
            if (node.type() != FileType.REGULAR || !node.storesContent()) {
                throw Violation.codeLoad(f.source() + " " + path + " is not a listed script file", new TargetRef(canonical, null));
            }
            content = Vfs.execContent(node, HEAD, kernel.config().maxModuleBytes());
        }
        String sha = content.sha256();
        if (!image.listsScriptFor(sha, exe.sha256())) {
            throw Violation.codeLoad(f.source() + " " + path + " is not a script the manifest lists for " + exe.path(),
                    new TargetRef(canonical, sha));
        }
        return new Program.Pin(canonical, sha);
    }
}
