package dev.nojit.bundle.manifest;

import dev.nojit.bundle.manifest.ScriptInvocation.InlineCode;
import dev.nojit.bundle.manifest.ScriptInvocation.ScriptFile;
import dev.nojit.bundle.manifest.ScriptInvocation.ScriptOperand;
import dev.nojit.bundle.manifest.ScriptInvocation.StdinCode;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/** {@link InterpreterSpec#classify} over real command lines of bash and lua, and over hostile ones. */
class InterpreterSpecTest {
    static final InterpreterSpec BASH = InterpreterSpec.profile("bash").orElseThrow();
    static final InterpreterSpec LUA = InterpreterSpec.profile("lua").orElseThrow();
    static final InterpreterSpec PYTHON = InterpreterSpec.profile("python").orElseThrow();

    static List<String> argv(String line) {
        return Arrays.asList(line.split(" ", -1));
    }

    static ScriptOperand operand(int index, String path, ScriptFile... flagFiles) {
        return new ScriptOperand(index, path, List.of(flagFiles));
    }

    static StdinCode stdin(String why, ScriptFile... files) {
        return new StdinCode(why, List.of(files));
    }

    record Case(InterpreterSpec spec, List<String> argv, ScriptInvocation expected) {
        Case(InterpreterSpec spec, String line, ScriptInvocation expected) {
            this(spec, InterpreterSpecTest.argv(line), expected);
        }
    }

    @Test
    void bashCommandLines() {
        for (Case c : List.of(
                new Case(BASH, "bash script.sh a b", operand(1, "script.sh")),
                new Case(BASH, "bash -e script.sh", operand(2, "script.sh")),
                new Case(BASH, "bash -c echo", new InlineCode("-c")),
                new Case(BASH, "bash -ec x", new InlineCode("-c")),
                new Case(BASH, "bash -e -u -c x s.sh", new InlineCode("-c")),
                new Case(BASH, "bash +c x", new InlineCode("+c")),
                new Case(BASH, "bash -o posix s.sh", operand(3, "s.sh")),
                new Case(BASH, "bash -xo posix s.sh", operand(3, "s.sh")),
                new Case(BASH, "bash -oO posix extglob s.sh", operand(4, "s.sh")),
                new Case(BASH, "bash +o posix +O extglob s.sh", operand(5, "s.sh")),
                // -o takes the next word, not the rest of the cluster: the c after it is still -c.
                new Case(BASH, "bash -oc posix x", new InlineCode("-c")),
                new Case(BASH, "bash -o", stdin("no script operand")),
                new Case(BASH, "bash --rcfile r s.sh", operand(3, "s.sh", new ScriptFile("--rcfile", 2, "r"))),
                new Case(BASH, "bash --rcfile=r s.sh", operand(2, "s.sh", new ScriptFile("--rcfile", 1, "r"))),
                new Case(BASH, "bash --rcfile=r -c x", new InlineCode("-c")),
                new Case(BASH, "bash --init-file i --rcfile r s.sh",
                        operand(5, "s.sh", new ScriptFile("--init-file", 2, "i"), new ScriptFile("--rcfile", 4, "r"))),
                new Case(BASH, "bash --rcfile", new InlineCode("--rcfile without a file")),
                // bash reads leading long options with one dash too.
                new Case(BASH, "bash -rcfile r s.sh", operand(3, "s.sh", new ScriptFile("--rcfile", 2, "r"))),
                new Case(BASH, "bash -norc s.sh", operand(2, "s.sh")),
                new Case(BASH, "bash -norc -noprofile -posix s.sh", operand(4, "s.sh")),
                // ...but only before the first short option: after -e, -norc is n, o (taking s.sh), r, c.
                new Case(BASH, "bash -e -norc s.sh", new InlineCode("-c")),
                new Case(BASH, "bash -login s.sh", new InlineCode("--login")),
                new Case(BASH, "bash --login s.sh", new InlineCode("--login")),
                new Case(BASH, "bash -l s.sh", new InlineCode("-l")),
                new Case(BASH, "bash --debugger s.sh", new InlineCode("--debugger")),
                new Case(BASH, "-bash s.sh", new InlineCode("argv[0] -bash (login shell)")),
                new Case(BASH, "bash", stdin("no script operand")),
                new Case(BASH, "bash -", stdin("no script operand")),
                new Case(BASH, "bash - s.sh", operand(2, "s.sh")),
                new Case(BASH, "bash -s a b", stdin("flag -s")),
                new Case(BASH, "bash -es", stdin("flag -s")),
                new Case(BASH, "bash -i", stdin("flag -i")),
                new Case(BASH, "bash -i s.sh", stdin("flag -i", new ScriptFile("operand", 2, "s.sh"))),
                new Case(BASH, "bash -- -weird-name.sh", operand(2, "-weird-name.sh")),
                new Case(BASH, "bash -- -", operand(2, "-")),
                new Case(BASH, "bash -e -- -c", operand(3, "-c")),
                new Case(BASH, "bash + s.sh", operand(2, "s.sh")),
                new Case(BASH, "bash -e- s.sh", new InlineCode("-e- (a - inside an option cluster)")),
                new Case(BASH, "bash +x- s.sh", new InlineCode("+x- (a - inside an option cluster)")),
                new Case(BASH, "bash --version", stdin("no script operand")),
                new Case(BASH, "bash s.sh -c x", operand(1, "s.sh")),
                new Case(BASH, "bash  s.sh", operand(1, "")),
                new Case(BASH, "sh -c ls", new InlineCode("-c")),
                new Case(BASH, "sh /task.sh", operand(1, "/task.sh")),
                new Case(BASH, List.of(), stdin("no arguments, not even a name")))) {
            assertThat(c.spec().classify(c.argv())).as(String.join(" ", c.argv())).isEqualTo(c.expected());
        }
    }

    @Test
    void luaCommandLines() {
        for (Case c : List.of(
                new Case(LUA, "lua s.lua", operand(1, "s.lua")),
                new Case(LUA, "lua s.lua -e x", operand(1, "s.lua")),
                new Case(LUA, "lua -e x", new InlineCode("-e")),
                new Case(LUA, "lua -eprint(1) s.lua", new InlineCode("-e")),
                new Case(LUA, "lua -W -e x s.lua", new InlineCode("-e")),
                new Case(LUA, "lua -l m s.lua", new InlineCode("-l")),
                new Case(LUA, "lua -lm s.lua", new InlineCode("-l")),
                new Case(LUA, "lua -", stdin("script operand -")),
                new Case(LUA, "lua - a b", stdin("script operand -")),
                new Case(LUA, "lua -- -", operand(2, "-")),
                new Case(LUA, "lua --", stdin("no script operand")),
                new Case(LUA, "lua", stdin("no script operand")),
                new Case(LUA, "lua -i", stdin("flag -i")),
                new Case(LUA, "lua -i s.lua", stdin("flag -i", new ScriptFile("operand", 2, "s.lua"))),
                // lua -v alone only prints its version, but the model does not know "prints and exits":
                // no operand counts as code from stdin (allowed on a terminal only).
                new Case(LUA, "lua -v", stdin("no script operand")),
                new Case(LUA, "lua -v s.lua", operand(2, "s.lua")),
                new Case(LUA, "lua -E -W s.lua x", operand(3, "s.lua")),
                new Case(LUA, "lua +x", operand(1, "+x")),
                new Case(LUA, "lua -v- s.lua", new InlineCode("-v- (a - inside an option cluster)")))) {
            assertThat(c.spec().classify(c.argv())).as(String.join(" ", c.argv())).isEqualTo(c.expected());
        }
    }

    /** Every entry point of CPython 3.11's command line (Python/getopt.c, initconfig.c), accepted and refused. */
    @Test
    void pythonCommandLines() {
        for (Case c : List.of(
                new Case(PYTHON, "python3 s.py a b", operand(1, "s.py")),
                new Case(PYTHON, "python3 /task/s.py -c x -m y -", operand(1, "/task/s.py")),
                // Flags without argument, alone and in clusters (-OO is -O twice; -x skips the first line).
                new Case(PYTHON, "python3 -u -B -E -s -S -I -P -b -d -q -v -O -OO -x -R -t s.py", operand(17, "s.py")),
                new Case(PYTHON, "python3 -uBEsSIP s.py", operand(2, "s.py")),
                // Inline code: -c, attached, in a cluster, after other options, anywhere before the operand.
                new Case(PYTHON, "python3 -c print(1)", new InlineCode("-c")),
                new Case(PYTHON, "python3 -cprint(1)", new InlineCode("-c")),
                new Case(PYTHON, "python3 -Ic pass", new InlineCode("-c")),
                new Case(PYTHON, "python3 -u -c pass s.py", new InlineCode("-c")),
                new Case(PYTHON, "python3 -c", new InlineCode("-c")),
                // -m: a module found by name on a search path that starts with the working directory.
                new Case(PYTHON, "python3 -m json.tool", new InlineCode("-m")),
                new Case(PYTHON, "python3 -mjson.tool", new InlineCode("-m")),
                new Case(PYTHON, "python3 -Sm evil s.py", new InlineCode("-m")),
                // -X pycache_prefix=DIR reads bytecode from a tree the caller names: every -X is refused.
                new Case(PYTHON, "python3 -X pycache_prefix=/tmp/p s.py", new InlineCode("-X")),
                new Case(PYTHON, "python3 -Xutf8 s.py", new InlineCode("-X")),
                // Arguments that are not code, attached or next; the argument is never read as flags.
                new Case(PYTHON, "python3 -W ignore s.py", operand(3, "s.py")),
                new Case(PYTHON, "python3 -Wignore s.py", operand(2, "s.py")),
                new Case(PYTHON, "python3 -W -c s.py", operand(3, "s.py")),
                new Case(PYTHON, "python3 -Wc s.py", operand(2, "s.py")),
                new Case(PYTHON, "python3 -uW ignore::DeprecationWarning s.py", operand(3, "s.py")),
                new Case(PYTHON, "python3 --check-hash-based-pycs never s.py", operand(3, "s.py")),
                new Case(PYTHON, "python3 --check-hash-based-pycs -c s.py", operand(3, "s.py")),
                // CPython ends its options at a cluster's trailing -: "python3 -u- -W x s.py" runs the file "-W", not s.py.
                new Case(PYTHON, "python3 -u- -W x s.py", new InlineCode("-u- (a - inside an option cluster)")),
                new Case(PYTHON, "python3 -Wx -u- s.py", new InlineCode("-u- (a - inside an option cluster)")),
                // ...and reads a long option after an inner - (-b-check-hash-based-pycs takes the next word).
                new Case(PYTHON, "python3 -b-check-hash-based-pycs never s.py", new InlineCode("-b-check-hash-based-pycs (a - inside an option cluster)")),
                new Case(PYTHON, "python3 -b-help-all", new InlineCode("-b-help-all (a - inside an option cluster)")),
                // An argument attached to a flag may hold a -: it is the argument, not a cluster.
                new Case(PYTHON, "python3 -Wignore::Warning:-x s.py", operand(2, "s.py")),
                // Stdin: no operand, -, - after --, -i (also with an operand, which must still be listed).
                new Case(PYTHON, "python3", stdin("no script operand")),
                new Case(PYTHON, "python3 -u", stdin("no script operand")),
                new Case(PYTHON, "python3 -", stdin("script operand -")),
                new Case(PYTHON, "python3 - a b", stdin("script operand -")),
                new Case(PYTHON, "python3 -u - s.py", stdin("script operand -")),
                new Case(PYTHON, "python3 -- -", stdin("script operand -")),
                new Case(PYTHON, "python3 -- - s.py", stdin("script operand -")),
                new Case(PYTHON, "python3 --", stdin("no script operand")),
                new Case(PYTHON, "python3 -i", stdin("flag -i")),
                new Case(PYTHON, "python3 -i s.py", stdin("flag -i", new ScriptFile("operand", 2, "s.py"))),
                new Case(PYTHON, "python3 -ui s.py", stdin("flag -i", new ScriptFile("operand", 2, "s.py"))),
                // Help and version print and exit, but the model does not know "prints and exits": stdin code.
                new Case(PYTHON, "python3 --version", stdin("no script operand")),
                new Case(PYTHON, "python3 -V", stdin("no script operand")),
                new Case(PYTHON, "python3 --help-all", stdin("no script operand")),
                new Case(PYTHON, "python3 -?", stdin("no script operand")),
                new Case(PYTHON, "python3 --help s.py", operand(2, "s.py")),
                // After --, any other word is a file, even one that looks like an option.
                new Case(PYTHON, "python3 -- -c", operand(2, "-c")),
                new Case(PYTHON, "python3 -u -- -weird.py", operand(3, "-weird.py")),
                // argv[0] is only a name: no login-shell rule.
                new Case(PYTHON, "-python3 s.py", operand(1, "s.py")))) {
            assertThat(c.spec().classify(c.argv())).as(String.join(" ", c.argv())).isEqualTo(c.expected());
        }
    }

    @Test
    void pythonEnvironmentThatNamesCodeIsRefusedEvenUnderIsolatedMode() {
        for (String variable : List.of("PYTHONSTARTUP=/tmp/evil.py", "PYTHONPATH=/tmp", "PYTHONHOME=/tmp/fake", "PYTHONINSPECT=1",
                "PYTHONUSERBASE=/tmp/u", "PYTHONEXECUTABLE=/tmp/bin/python3", "PYTHONPLATLIBDIR=../../tmp",
                "PYTHONBREAKPOINT=evil.run", "PYTHONPYCACHEPREFIX=/tmp/pyc", "__PYVENV_LAUNCHER__=/tmp/bin/python3")) {
            String name = variable.substring(0, variable.indexOf('='));
            assertThat(PYTHON.classify(argv("python3 s.py"), List.of("PATH=/bin", variable))).as(variable).isEqualTo(new InlineCode("$" + name));
            // -E and -I make CPython ignore PYTHON* variables; the model refuses anyway (fail closed).
            assertThat(PYTHON.classify(argv("python3 -I s.py"), List.of(variable))).as(variable).isEqualTo(new InlineCode("$" + name));
            assertThat(PYTHON.classify(argv("python3 -E s.py"), List.of(variable))).as(variable).isEqualTo(new InlineCode("$" + name));
            // Set but empty, CPython ignores it too.
            assertThat(PYTHON.classify(argv("python3 s.py"), List.of(name + "="))).as(variable).isEqualTo(operand(1, "s.py"));
        }
        // Variables that tune or restrict without naming code stay allowed (docs/python-policy.md says why, one by one).
        assertThat(PYTHON.classify(argv("python3 s.py"), List.of("PYTHONUNBUFFERED=1", "PYTHONDONTWRITEBYTECODE=1", "PYTHONHASHSEED=0",
                "PYTHONIOENCODING=utf-8", "PYTHONUTF8=1", "PYTHONSAFEPATH=1", "PYTHONNOUSERSITE=1", "PYTHONWARNINGS=ignore",
                "PYTHONOPTIMIZE=2", "PYTHONDEVMODE=1", "PYTHONCASEOK=1", "PYTHONMALLOC=malloc", "PYTHONPATHX=/tmp", "MYPYTHONPATH=/tmp")))
                .isEqualTo(operand(1, "s.py"));
        // Other interpreters' variables are not python's, and python's are not theirs.
        assertThat(PYTHON.classify(argv("python3 s.py"), List.of("BASH_ENV=/x", "LUA_INIT=x"))).isEqualTo(operand(1, "s.py"));
        assertThat(BASH.classify(argv("bash s.sh"), List.of("PYTHONSTARTUP=/x"))).isEqualTo(operand(1, "s.sh"));
    }

    @Test
    void environmentVariablesThatCarryCodeAreInlineCode() {
        assertThat(BASH.classify(argv("bash s.sh"), List.of("PATH=/bin", "BASH_ENV=/tmp/evil")))
                .isEqualTo(new InlineCode("$BASH_ENV"));
        assertThat(BASH.classify(argv("bash s.sh"), List.of("BASH_FUNC_ls%%=() { evil; }")))
                .isEqualTo(new InlineCode("$BASH_FUNC_ls%%"));
        assertThat(BASH.classify(argv("bash -x s.sh"), List.of("PS4=$(evil)"))).isEqualTo(new InlineCode("$PS4"));
        assertThat(BASH.classify(argv("sh -i"), List.of("ENV=/tmp/rc"))).isEqualTo(new InlineCode("$ENV"));
        // Empty values run nothing; similar names are not the variable.
        assertThat(BASH.classify(argv("bash s.sh"), List.of("BASH_ENV=", "ENVIRONMENT=x", "MY_BASH_ENV=x", "BASH_FUNC=x", "=x", "ENV")))
                .isEqualTo(operand(1, "s.sh"));
        assertThat(LUA.classify(argv("lua s.lua"), List.of("LUA_INIT=os.execute('x')"))).isEqualTo(new InlineCode("$LUA_INIT"));
        assertThat(LUA.classify(argv("lua s.lua"), List.of("LUA_INIT_5_4=@/tmp/x.lua"))).isEqualTo(new InlineCode("$LUA_INIT_5_4"));
        // -E makes lua ignore LUA_INIT; the model refuses anyway (fail closed, documented).
        assertThat(LUA.classify(argv("lua -E s.lua"), List.of("LUA_INIT=x"))).isEqualTo(new InlineCode("$LUA_INIT"));
        assertThat(LUA.classify(argv("lua s.lua"), List.of("LUA_PATH=/x/?.lua", "BASH_ENV=/x"))).isEqualTo(operand(1, "s.lua"));
    }

    @Test
    void rawBytesStayBytes() {
        byte[] name = "/scripts/caf\u00e9.sh".getBytes(java.nio.charset.StandardCharsets.UTF_8);
        List<byte[]> argv = List.of("bash".getBytes(), "-e".getBytes(), name, new byte[] {(byte) 0xff, 'c'});
        ScriptInvocation r = BASH.classifyRaw(argv, List.of("A=\u00ff".getBytes(java.nio.charset.StandardCharsets.UTF_8)));
        assertThat(r).isInstanceOf(ScriptOperand.class);
        assertThat(InterpreterSpec.rawBytes(((ScriptOperand) r).path())).isEqualTo(name);
        // A multi-byte sequence never reads as a flag character: 0xC3 0xA3 is not "-c" whatever the encoding.
        assertThat(BASH.classifyRaw(List.of("bash".getBytes(), new byte[] {'-', (byte) 0xc3, (byte) 0xa3}, "s".getBytes()), List.of()))
                .isEqualTo(operand(2, "s"));
        assertThat(BASH.classifyRaw(List.of("bash".getBytes(), new byte[] {'-', (byte) 0xc3, 'c'}), List.of())).isEqualTo(new InlineCode("-c"));
    }

    @Test
    void scriptFilesListsEverythingToCheckInCommandLineOrder() {
        assertThat(BASH.classify(argv("bash --rcfile r s.sh")).scriptFiles())
                .containsExactly(new ScriptFile("--rcfile", 2, "r"), new ScriptFile("operand", 3, "s.sh"));
        assertThat(BASH.classify(argv("bash -c x")).scriptFiles()).isEmpty();
        assertThat(LUA.classify(argv("lua -i s.lua")).scriptFiles()).containsExactly(new ScriptFile("operand", 2, "s.lua"));
    }

    @Test
    void profilesAreValidAndNormalized() {
        for (String name : InterpreterSpec.PROFILES) {
            InterpreterSpec spec = InterpreterSpec.profile(name).orElseThrow();
            assertThat(spec.problem()).as(name).isEmpty();
            assertThat(spec.normalized()).isEqualTo(spec);
        }
        assertThat(InterpreterSpec.profile("zsh")).isEmpty();
    }

    @Test
    void invalidSpecsAreNamed() {
        assertThat(withInline(List.of("-l", "-e")).problem()).contains("inlineCode must be sorted and distinct");
        assertThat(withInline(List.of("-e", "-e")).problem()).contains("inlineCode must be sorted and distinct");
        assertThat(withInline(List.of("-i")).problem()).contains("'-i' is in both inlineCode and interactive");
        assertThat(withInline(List.of("+c")).problem()).hasValueSatisfying(p -> assertThat(p).contains("'+c'").contains("-X covers +X"));
        for (String bad : List.of("-ab", "---x", "--", "-", "-=", "--a=b", "c", "--é")) {
            assertThat(withInline(List.of(bad)).problem()).as(bad).hasValueSatisfying(p -> assertThat(p).contains("'" + bad + "'"));
        }
        List<String> many = new ArrayList<>();
        for (int i = 0; i < 65; i++) many.add(String.format("--f%02d", i));
        assertThat(withInline(many).problem()).contains("inlineCode has 65 entries, over the limit of 64");
        InterpreterSpec badVar = new InterpreterSpec(List.of(), List.of(), List.of(), List.of(), List.of(), List.of(),
                InterpreterSpec.OptionArgument.NEXT, false, false, InterpreterSpec.Dash.STDIN, false, List.of("A*B"));
        assertThat(badVar.problem()).hasValueSatisfying(p -> assertThat(p).contains("codeVariables has 'A*B'"));
    }

    static InterpreterSpec withInline(List<String> inline) {
        return new InterpreterSpec(inline, LUA.stdinCode(), LUA.interactive(), LUA.takesArgument(), LUA.scriptFile(), LUA.flags(),
                LUA.optionArgument(), LUA.plusOptions(), LUA.singleDashLongOptions(), LUA.dash(), LUA.loginArgv0(), LUA.codeVariables());
    }

    /** Random command lines of option-like words: classify always answers, consistently with argv. */
    @Test
    void randomCommandLinesAlwaysGetAConsistentResult() {
        String[] words = {"-", "--", "+", "-c", "-e", "-o", "+o", "-O", "-s", "-i", "-l", "-xo", "-ec", "-norc", "-rcfile",
                "--rcfile", "--rcfile=", "--rcfile=r", "--init-file", "-login", "--x=y", "-E", "-W", "-v", "-eprint", "s.sh",
                "", "posix", "-é", "+xs", "-\u0000", "--=", "-=", "x=y", "-m", "-W", "-X", "-Wc", "--check-hash-based-pycs", "-u-", "-b-help", "-W-x"};
        Random random = new Random(5);
        for (int round = 0; round < 50_000; round++) {
            List<String> argv = new ArrayList<>();
            argv.add(random.nextInt(10) == 0 ? "-bash" : "bash");
            int n = random.nextInt(8);
            for (int i = 0; i < n; i++) argv.add(random.nextInt(20) == 0 ? null : words[random.nextInt(words.length)]);
            List<String> envp = random.nextInt(4) == 0 ? List.of("BASH_ENV=" + (random.nextBoolean() ? "" : "x")) : List.of();
            for (InterpreterSpec spec : List.of(BASH, LUA, PYTHON)) {
                ScriptInvocation r = spec.classify(Collections.unmodifiableList(argv), envp);
                assertThat(r).as(argv.toString()).isNotNull().isEqualTo(spec.classify(argv, envp));
                for (ScriptFile f : r.scriptFiles()) {
                    assertThat(f.argIndex()).as(argv.toString()).isBetween(1, argv.size() - 1);
                    String word = argv.get(f.argIndex()) == null ? "" : argv.get(f.argIndex());
                    assertThat(word).as(argv.toString()).endsWith(f.path());
                }
                if (r instanceof ScriptOperand o) assertThat(argv.get(o.argIndex()) == null ? "" : argv.get(o.argIndex())).isEqualTo(o.path());
                if (r instanceof InlineCode ic) assertThat(ic.flag()).isNotEmpty();
                // A leading -c is inline code whatever follows.
                if (spec == BASH && argv.getFirst().equals("bash") && argv.size() > 1 && "-c".equals(argv.get(1))) {
                    assertThat(r).as(argv.toString()).isInstanceOf(InlineCode.class);
                }
                if (spec == LUA && argv.size() > 1 && "-e".equals(argv.get(1))) assertThat(r).isInstanceOf(InlineCode.class);
                if (spec == PYTHON && argv.size() > 1 && "-c".equals(argv.get(1))) assertThat(r).isInstanceOf(InlineCode.class);
                // python reads stdin for a - right after --, so the operand is never the word -.
                if (spec == PYTHON && r instanceof ScriptOperand o) assertThat(o.path()).as(argv.toString()).isNotEqualTo("-");
            }
        }
    }

    /** What CPython 3.11 does with a command line, transliterated from Python/getopt.c and initconfig.c. */
    sealed interface CPython {
        record Exit() implements CPython {}
        record Command() implements CPython {}
        record Module() implements CPython {}
        /** {@code file} is the argv index of the script, or -1 for stdin; {@code inspect}: -i. */
        record Runs(int file, boolean inspect) implements CPython {}
    }

    static final String SHORT_OPTS = "bBc:dEhiIJm:OPqRsStuvVW:xX:?";

    static CPython cpython(List<String> argv) {
        List<String> w = new ArrayList<>();
        for (String a : argv) w.add(a == null ? "" : a);
        int n = w.size(), optind = 1;
        String rest = "";
        boolean inspect = false, version = false;
        while (true) {
            if (rest.isEmpty()) {
                if (optind >= n) break;
                String word = w.get(optind);
                if (!word.startsWith("-") || word.equals("-")) break;
                if (word.equals("--")) {
                    optind++;
                    break;
                }
                if (word.equals("--help")) return new CPython.Exit();
                if (word.equals("--version")) {
                    optind++;
                    version = true;
                    continue;
                }
                rest = word.substring(1);
                optind++;
            }
            char option = rest.charAt(0);
            rest = rest.substring(1);
            if (option == '-') {
                if (rest.isEmpty()) break; // "expected long option": the options end here
                String name = rest;
                rest = "";
                if (!name.equals("check-hash-based-pycs")) return new CPython.Exit(); // help-*, or unknown
                if (optind >= n) return new CPython.Exit();
                String mode = w.get(optind++);
                if (!List.of("always", "never", "default").contains(mode)) return new CPython.Exit();
                continue;
            }
            int at = SHORT_OPTS.indexOf(option);
            if (option == 'J' || option == ':' || at < 0) return new CPython.Exit();
            if (at + 1 < SHORT_OPTS.length() && SHORT_OPTS.charAt(at + 1) == ':') {
                if (rest.isEmpty()) {
                    if (optind >= n) return new CPython.Exit();
                    optind++;
                }
                rest = "";
            }
            switch (option) {
                case 'c' -> { return new CPython.Command(); }
                case 'm' -> { return new CPython.Module(); }
                case 'h', '?' -> { return new CPython.Exit(); }
                case 'V' -> version = true;
                case 'i' -> inspect = true;
                default -> { }
            }
        }
        if (version) return new CPython.Exit();
        boolean file = optind < n && !w.get(optind).equals("-");
        return new CPython.Runs(file ? optind : -1, inspect);
    }

    /**
     * The python profile against CPython's own parser on random command lines: whenever CPython would
     * run code from no file, the profile says inline code; from stdin, never a script operand; and a
     * script operand is exactly the file CPython runs (or CPython refuses the command line and exits).
     */
    @Test
    void thePythonProfileAgreesWithCPythonsParser() {
        String[] words = {"-", "--", "-c", "-m", "-X", "-W", "-Wx", "-i", "-u", "-ui", "-uc", "-uW", "-u-", "-b-help-all",
                "-b-check-hash-based-pycs", "--check-hash-based-pycs", "--check-hash-based-pycs=never", "never", "--help",
                "--version", "--help-env", "-V", "-x", "-OO", "-J", "-?", "-I", "-E", "-s", "-S", "-P", "-\u0000", "-é", "",
                "s.py", "t.py", "+x", "-uWignore", "-Wc", "-mc", "-Xutf8", "--x", "-u--"};
        Random random = new Random(17);
        for (int round = 0; round < 100_000; round++) {
            List<String> argv = new ArrayList<>();
            argv.add("python3");
            int n = random.nextInt(7);
            for (int i = 0; i < n; i++) {
                String word = words[random.nextInt(words.length)];
                // execve passes C strings: a word ends at its first NUL.
                argv.add(word.indexOf('\0') >= 0 ? word.substring(0, word.indexOf('\0')) : word);
            }
            ScriptInvocation profile = PYTHON.classify(argv);
            CPython real = cpython(argv);
            String what = argv + " -> " + profile + " / " + real;
            switch (real) {
                case CPython.Exit e -> { }
                case CPython.Command c -> assertThat(profile).as(what).isInstanceOf(InlineCode.class);
                case CPython.Module m -> assertThat(profile).as(what).isInstanceOf(InlineCode.class);
                case CPython.Runs r when r.file() < 0 || r.inspect() -> {
                    assertThat(profile).as(what).isNotInstanceOf(ScriptOperand.class);
                    if (r.file() >= 0 && profile instanceof StdinCode s) {
                        assertThat(s.scriptFiles()).as(what).containsExactly(new ScriptFile("operand", r.file(), argv.get(r.file())));
                    }
                }
                case CPython.Runs r -> {
                    if (profile instanceof ScriptOperand o) assertThat(o.argIndex()).as(what).isEqualTo(r.file());
                    else assertThat(profile).as(what).isInstanceOf(InlineCode.class);
                }
            }
            if (profile instanceof ScriptOperand o) {
                assertThat(real).as(what).isIn(new CPython.Exit(), new CPython.Runs(o.argIndex(), false));
            }
        }
    }

    /** execve allows about 2 MiB of arguments and environment: classification stays linear in that. */
    @Test
    void hostileSizesAreLinear() {
        String cluster = "-" + "x".repeat(2 << 20);
        String longWord = "-norc=" + "y".repeat(2 << 20);
        List<String> manyWords = new ArrayList<>(Collections.nCopies(1 << 20, "-o"));
        manyWords.addFirst("bash");
        List<String> manyVariables = Collections.nCopies(1 << 20, "X=1");
        long start = System.nanoTime();
        assertThat(BASH.classify(List.of("bash", cluster, "s.sh"))).isEqualTo(operand(2, "s.sh"));
        assertThat(BASH.classify(List.of("bash", cluster + "c", "x"))).isEqualTo(new InlineCode("-c"));
        assertThat(BASH.classify(List.of("bash", longWord, "s.sh"))).isEqualTo(operand(2, "s.sh"));
        assertThat(BASH.classify(manyWords)).isInstanceOf(StdinCode.class);
        assertThat(LUA.classify(List.of("lua", "-e" + "z".repeat(2 << 20)))).isEqualTo(new InlineCode("-e"));
        assertThat(BASH.classify(argv("bash s.sh"), manyVariables)).isEqualTo(operand(1, "s.sh"));
        ScriptInvocation longInline = BASH.classify(List.of("bash", "--" + "q".repeat(2 << 20)), List.of("BASH_FUNC_" + "f".repeat(2 << 20) + "=x"));
        assertThat(((InlineCode) longInline).flag()).hasSizeLessThan(200);
        assertThat((System.nanoTime() - start) / 1_000_000).as("milliseconds").isLessThan(5_000);
    }
}
