package dev.nojit.vkernel.guests;

import dev.nojit.audit.AuditEvent;
import dev.nojit.bundle.BundleBuilder;
import dev.nojit.bundle.VerifiedBundle;
import dev.nojit.bundle.json.CanonicalJson;
import dev.nojit.bundle.json.StrictObject;
import dev.nojit.bundle.manifest.ManifestCodec;
import dev.nojit.bundle.manifest.Policy;
import dev.nojit.bundle.testing.Guests;
import dev.nojit.vkernel.Container;
import dev.nojit.vkernel.testing.TestContainers;
import dev.nojit.vkernel.testing.TestContainers.Run;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * nsh, the project's own shell (guests/src/wali/nsh.c, grammar in docs/nsh.md), run as a guest:
 * {@code /bin/sh -c SCRIPT} as process 1, with the example bundle's tools (WASI cat and wc, WALI
 * grep and chmod) and wali-echo, which prints the argv and environment it was given.
 */
class NshTest {
    @TempDir
    static Path dir;
    static VerifiedBundle bundle;

    @BeforeAll
    static void image() throws Exception {
        bundle = TestContainers.bundle(image(Policy.defaults()), dir);
    }

    static BundleBuilder image(Policy policy) throws Exception {
        Path in = Files.createDirectories(dir.resolve("in-" + System.nanoTime()));
        BundleBuilder b = new BundleBuilder().policy(policy);
        b.executable("/bin/sh", Guests.copy("nsh.wasm", in));
        for (String g : List.of("cat", "wc", "grep", "chmod", "wali-echo")) b.executable("/bin/" + g, Guests.copy(g + ".wasm", in));
        b.file("/etc/motd", Files.writeString(in.resolve("motd"), "Welcome\nto the container\n"));
        b.script("/opt/args.sh", Files.writeString(in.resolve("args.sh"), "#!/bin/sh\n# prints its arguments\necho \"$0\" \"$#\" \"$1\" \"$2\"\n"), "/bin/sh");
        return b;
    }

    static Run sh(String script, String... args) {
        return sh(bundle, script, args);
    }

    static Run sh(VerifiedBundle b, String script, String... args) {
        List<String> argv = Stream.concat(Stream.of("-c", script), Stream.of(args)).toList();
        return TestContainers.run(b, Container.Options.defaults(), "", "/bin/sh", argv, Duration.ofSeconds(60));
    }

    /** A script, what it must print on stdout, and its exit status. */
    record Case(String name, String script, String out, int status) {
        @Override
        public String toString() {
            return name;
        }
    }

    static Stream<Case> cases() {
        String big = "x".repeat(3000);
        return Stream.of(
                new Case("single quotes keep everything", "echo 'a  $X \\ \"' end", "a  $X \\ \" end\n", 0),
                new Case("double quotes expand and keep spaces", "X=1; echo \"c  $X\" \"${X}y\"", "c  1 1y\n", 0),
                new Case("backslash outside and inside double quotes", "echo d\\ e \\$X \"a\\\"b\\\\c\\$d\\n\"", "d e $X a\"b\\c$d\\n\n", 0),
                new Case("an unquoted empty expansion disappears, a quoted one stays", "echo [ $UNSET \"\" $UNSET ]", "[  ]\n", 0),
                new Case("a lone $ is itself", "echo $ a$ \"$\"", "$ a$ $\n", 0),
                new Case("$? is the status of the last command", "false; echo $?; true; echo $?; nosuch 2>/dev/null; echo $?", "1\n0\n127\n", 0),
                new Case("&& and || chain on the status", "true && echo a || echo b; false && echo c || echo d; false || false && echo e",
                        "a\nd\n", 1),
                new Case("a pipeline of three programs", "cat /etc/motd | grep -c e | wc -l", "1\n", 0),
                new Case("the status of a pipeline is its last command's", "echo x | grep -q nothing; echo $?; echo x | grep -q x; echo $?", "1\n0\n", 0),
                new Case("> truncates, >> appends, < reads", "echo hi > /tmp/f; echo there >> /tmp/f; echo again > /tmp/g; cat < /tmp/f; cat /tmp/g",
                        "hi\nthere\nagain\n", 0),
                new Case("2>&1 sends a child's errors into the pipe", "/bin/nothing 2>&1 | cat", "nsh: /bin/nothing: No such file or directory\n", 0),
                new Case("a builtin's redirection is undone after it", "echo a > /tmp/x; echo b; cat /tmp/x", "b\na\n", 0),
                new Case("a failing redirection skips the command", "echo a > /no/such/dir/f; echo $?", "1\n", 0),
                new Case("set -e stops at a failing command, not inside && lists", "set -e; false && true; echo still; false; echo never", "still\n", 1),
                new Case("exit sets the status", "echo before; exit 7; echo after", "before\n", 7),
                new Case("the last command's status is the shell's", "true; false", "", 1),
                new Case("command not found is 127", "nosuch 2>&1; echo $?", "nsh: nosuch: command not found\n127\n", 0),
                new Case("no execute permission is 126", "/etc/motd 2>&1; echo $?", "nsh: /etc/motd: Permission denied\n126\n", 0),
                new Case("a text file without #! is not run as a script", "echo 'echo ran' > /tmp/t; chmod +x /tmp/t; /tmp/t 2>&1; echo $?",
                        "nsh: /tmp/t: Exec format error\n126\n", 0),
                new Case("cd changes the directory of later commands", "cd /etc; pwd; grep -c Welcome motd; cd /nowhere 2>&1",
                        "/etc\n1\nnsh: cd: /nowhere: No such file or directory\n", 1),
                new Case("positional parameters of -c", "echo $0 $# $1 \"$2\" $3.", "name 2 a b c .\n", 0),
                new Case("a listed helper script run by its #! line", "/opt/args.sh one 'two words'", "/opt/args.sh 2 one two words\n", 0),
                new Case("comments and blank lines", "# a comment\n\necho a # not printed\necho b#c", "a\nb#c\n", 0),
                new Case("grep -i -n -v", "grep -i -n WELCOME /etc/motd; grep -v -c Welcome /etc/motd", "1:Welcome\n1\n", 0),
                new Case("a word over the limit is an error, not an overflow", "X=" + big + "; echo $X$X; echo $?", "1\n", 0),
                new Case("$(...) is refused, nothing runs", "echo $(echo hi)", "", 2),
                new Case("control structures are refused", "echo before\nif true; then echo x; fi\necho after", "before\n", 2),
                new Case("an unterminated quote is refused", "echo 'open", "", 2),
                new Case("background jobs are refused", "echo a & echo b", "", 2));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void behaves(Case c) {
        Run r = c.name().equals("positional parameters of -c") ? sh(c.script(), "name", "a", "b c") : sh(c.script());
        assertThat(r.out()).as("stderr: %s", r.err()).isEqualTo(c.out());
        assertThat(r.exitCode()).as("stderr: %s", r.err()).isEqualTo(c.status());
        assertThat(r.violations()).isEmpty();
    }

    @Test
    void syntaxErrorsNameTheLine() {
        Run r = sh("echo ok\n\necho 'open");
        assertThat(r.err()).contains("nsh: nsh: line 3: unterminated '");
        assertThat(sh("echo $(x)").err()).contains("$(...) is not supported");
    }

    @Test
    void childrenGetExportedVariablesAndTheirOwnAssignmentsOnly() {
        Run r = sh("X=1; export Y=2; Z=3 wali-echo 'a b' c; echo $Z.");
        assertThat(r.out()).contains("argv[0]=wali-echo", "argv[1]=a b", "argv[2]=c", "env Y=2", "env Z=3")
                .doesNotContain("env X=1").endsWith(".\n");
    }

    @Test
    void aLineOverTheLimitStopsTheShell() {
        Run r = sh("echo " + "y".repeat(5000) + "\necho after");
        assertThat(r.exitCode()).isEqualTo(2);
        assertThat(r.out()).isEmpty();
        assertThat(r.err()).contains("line too long");
    }

    @Test
    void underTheExamplePolicyInlineCodeIsKilledAndAListedScriptRuns() throws Exception {
        // The example bundle's own policy: scripts manifest-only, with nsh's interpreter spec for /bin/sh.
        var json = CanonicalJson.mapper().readTree(Guests.bytes("example/policy.json"));
        Policy strict = ManifestCodec.decodePolicy(StrictObject.of(json, "", "example/policy.json"), false);
        assertThat(strict.scripts()).isEqualTo("manifest-only");
        VerifiedBundle b = TestContainers.bundle(image(strict), dir);
        Run inline = sh(b, "echo inline");
        assertThat(inline.out()).isEmpty();
        assertThat(inline.violations()).singleElement().extracting(AuditEvent::type).isEqualTo(AuditEvent.Type.CODE_LOAD_DENIED);
        Run listed = TestContainers.run(b, Container.Options.defaults(), "", "/opt/args.sh", List.of("x"), Duration.ofSeconds(60));
        assertThat(listed.out()).isEqualTo("/opt/args.sh 1 x \n");
        assertThat(listed.violations()).isEmpty();
    }

    /**
     * Robustness: 200 scripts of random tokens (quotes, operators, expansions, redirections, words
     * at and past the 4096-byte limit, lines past it), each run by its own nsh child of one nsh
     * process 1. None may die of a signal (a trap would be SIGSEGV or SIGILL) or run away; each
     * ends with a status of its own: 0-2, 126 or 127.
     */
    @Test
    void randomScriptsNeverCrashTheShell() throws Exception {
        String[] tokens = {"echo", "true", "false", "cat", "wc", "grep", "x", "\"", "'", "\\", "$", "${", "}", "$?", "$#", "$0",
                "${A}", "$A", "A=1", "B=$A$A", "|", "||", "&&", ";", ">", ">>", "<", "2>&1", ">&", "1>&2", "9<", "#", "/tmp/o",
                "/etc/motd", "-c", "-n", "set", "-e", "exit", "cd", "/", "export", "\"$A x\"", "'$A'", "a\\ b", "(", ")", "`", "$(",
                "&", "\t", "\u00e9", "\u0001"};
        java.util.Random random = new java.util.Random(7);
        Path in = Files.createDirectories(dir.resolve("fuzz-" + System.nanoTime()));
        StringBuilder outer = new StringBuilder();
        int count = 200;
        for (int i = 0; i < count; i++) {
            StringBuilder script = new StringBuilder();
            int n = new int[] {1, 3, 8, 20, 60, 300}[random.nextInt(6)];
            for (int k = 0; k < n; k++) {
                script.append(random.nextInt(50) == 0 ? "y".repeat(new int[] {100, 4095, 4096, 5000}[random.nextInt(4)]) : tokens[random.nextInt(tokens.length)]);
                if (random.nextBoolean()) script.append(' ');
            }
            script.append('\n');
            if (random.nextInt(3) == 0) script.append("A=").append("q".repeat(new int[] {10, 2100, 4000}[random.nextInt(3)])).append("; echo $A$A$A | wc -c\n");
            Files.writeString(in.resolve("f" + i), script);
            outer.append("sh /fuzz/f").append(i).append(" > /dev/null 2>> /tmp/err; echo f").append(i).append(" $?\n");
        }
        outer.append("grep -c trap /tmp/err\n");
        BundleBuilder b = image(Policy.defaults());
        b.directory("/fuzz", in);
        Run r = sh(TestContainers.bundle(b, dir), outer.toString());
        List<String> statuses = r.out().lines().filter(l -> l.startsWith("f")).map(l -> l.substring(l.indexOf(' ') + 1)).toList();
        assertThat(statuses).hasSize(count).allSatisfy(st -> assertThat(st).isIn("0", "1", "2", "126", "127"));
        assertThat(statuses).contains("0", "2");
        assertThat(r.out()).endsWith("\n0\n");
        assertThat(r.err()).doesNotContain("trap", "nojit:");
        assertThat(r.violations()).isEmpty();
    }
}
