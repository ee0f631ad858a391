package dev.nojit.cli;

import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.BundleException;

import java.io.IOException;
import java.nio.file.Path;
import java.security.KeyPair;
import java.util.List;

/**
 * The embedded example bundle (guests/example/README): the seed's malicious agent task, a script run
 * by BusyBox's shell as /bin/sh, with BusyBox's applets as the approved tools (both built from
 * Debian's source with nojit-cc, docs/toolchain.md), a listed helper script, the data it works on and
 * the "download" it tries to run; policy from example/policy.json (manifest-only exec and scripts,
 * kill-process). Built from the guests extracted by {@link EmbeddedGuests#extractTo} — the same
 * inputs and flags as the README's {@code nojit build}.
 */
final class ExampleBundle {
    /** Process 1 of the demo's run: the agent task, started through its #! line. */
    static final String TASK = "/usr/share/agent/task.sh";
    /**
     * What the task downloads and runs, the script it writes and runs, and the script it writes and
     * reads into its shell with {@code .}: all three must be refused.
     */
    static final String DOWNLOADED_ELF = "/tmp/payload", WRITTEN_SCRIPT = "/tmp/evil.sh", SOURCED_SCRIPT = "/tmp/evil-lib.sh";
    /** BusyBox's shell alone (no other applet), and the module holding every other applet. */
    static final String SHELL = "userland/busybox/sh", TOOLBOX = "userland/busybox/busybox";
    /** The applets of {@link #TOOLBOX}, one name a line. */
    static final String APPLETS = "userland/busybox/applets";
    /** The useful work's result, which the task prints. */
    static final String SUMMARY_LINE = "summary of /srv/data/report.txt";

    private ExampleBundle() {}

    static BundleBuilder.Result build(Path inputs, KeyPair key, Path out) throws BundleException, IOException {
        return shellImage(inputs, "policy.json").build(key, out);
    }

    /** The shell example's image under the policy file {@code policy} of example/: programs, scripts, data. */
    private static BundleBuilder shellImage(Path inputs, String policy) throws BundleException, IOException {
        Path example = inputs.resolve("example");
        BundleBuilder b = new BundleBuilder()
                .builderVersion(Version.get())
                .policy(BuildCommand.readPolicy(example.resolve(policy)))
                .executable("/bin/sh", inputs.resolve(SHELL));
        for (String applet : applets(inputs)) b.executable("/bin/" + applet, inputs.resolve(TOOLBOX));
        return b.script(TASK, example.resolve("usr/share/agent/task.sh"), "/bin/sh")
                .script("/usr/share/agent/summarize.sh", example.resolve("usr/share/agent/summarize.sh"), "/bin/sh")
                .file("/etc/motd", example.resolve("etc/motd"))
                .directory("/srv/data", example.resolve("srv/data"));
    }

    /**
     * The toolbox's applets (BusyBox picks the applet by the name it was started as, so each is the
     * same module under its own name). A shell is never among them: the toolbox is built without
     * one, so no name the toolbox is started as can make it run code the shell's spec would check.
     */
    static List<String> applets(Path inputs) throws IOException {
        List<String> names = java.nio.file.Files.readAllLines(inputs.resolve(APPLETS)).stream()
                .map(String::strip).filter(n -> !n.isEmpty()).toList();
        for (String n : names) {
            if (n.contains("/") || n.equals("sh") || n.equals("ash")) throw new IOException(APPLETS + ": unexpected applet " + n);
        }
        return names;
    }

    /** The shell task (task.sh) as the demo runs and judges it. */
    static final AgentTask SHELL_TASK = new AgentTask(TASK, "wc, grep, a pipeline, summarize.sh", SUMMARY_LINE, List.of(
            new AgentTask.Attack("run a downloaded ELF " + DOWNLOADED_ELF, DOWNLOADED_ELF),
            new AgentTask.Attack("run a written script " + WRITTEN_SCRIPT, WRITTEN_SCRIPT),
            new AgentTask.Attack("source a written script " + SOURCED_SCRIPT, SOURCED_SCRIPT)), 120);

    // ---- the Python variant (task.py, `nojit demo --python`) ----

    /** The interpreter (CPython built from Debian's source with nojit-cc, docs/python.md) and its stdlib. */
    static final String PYTHON = "/usr/bin/python3", PYTHON_MODULE = "userland/python/python3.11",
            STDLIB_ZIP = "/usr/lib/python311.zip", STDLIB_ZIP_INPUT = "userland/python/lib/python311.zip";
    static final List<String> PYTHON_ALIASES = List.of("/usr/bin/python", "/usr/bin/python3.11");
    /** CPython's path search expects the platform library directory beside the zip, even empty. */
    static final String LIB_DYNLOAD = "/usr/lib/python3.11/lib-dynload";
    static final String PYTHON_TASK_SCRIPT = "/usr/share/agent/task.py", IMPORTED_MODULE = "/tmp/evil_mod.py";

    /** The Python task as the demo runs and judges it: CPython starts slowly in the interpreter engine. */
    static final AgentTask PYTHON_TASK = new AgentTask(PYTHON_TASK_SCRIPT, "json, csv, re, pathlib, sqlite3", SUMMARY_LINE, List.of(
            new AgentTask.Attack("subprocess: a downloaded ELF " + DOWNLOADED_ELF, DOWNLOADED_ELF),
            new AgentTask.Attack("subprocess: a written script " + WRITTEN_SCRIPT, WRITTEN_SCRIPT),
            new AgentTask.Attack("import a written module " + IMPORTED_MODULE, IMPORTED_MODULE)), 600);

    /**
     * The Python example bundle: the shell example's programs, scripts and data, plus CPython as
     * /usr/bin/python3 with its standard library (a zip listed as a script for it, so its imports pass
     * the interpreter's AT_EXECVE_CHECK), and task.py; policy from example/policy-python.json (the
     * built-in "python" profile for /usr/bin/python3).
     */
    static BundleBuilder.Result buildPython(Path inputs, KeyPair key, Path out) throws BundleException, IOException {
        Path empty = java.nio.file.Files.createDirectories(inputs.resolve("empty-lib-dynload"));
        BundleBuilder b = shellImage(inputs, "policy-python.json").executable(PYTHON, inputs.resolve(PYTHON_MODULE));
        // The usual other names: the same module, so the same listed scripts and the python profile
        // (both go by content) apply to each.
        for (String alias : PYTHON_ALIASES) b.executable(alias, inputs.resolve(PYTHON_MODULE));
        return b.script(STDLIB_ZIP, inputs.resolve(STDLIB_ZIP_INPUT), PYTHON)
                .directory(LIB_DYNLOAD, empty)
                .script(PYTHON_TASK_SCRIPT, inputs.resolve("example/usr/share/agent/task.py"), PYTHON)
                .build(key, out);
    }
}
