package dev.nojit.bundle.manifest;

import dev.nojit.bundle.manifest.ScriptInvocation.InlineCode;
import dev.nojit.bundle.manifest.ScriptInvocation.ScriptFile;
import dev.nojit.bundle.manifest.ScriptInvocation.ScriptOperand;
import dev.nojit.bundle.manifest.ScriptInvocation.StdinCode;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * How an interpreter's command line (and environment) names the code it runs, so that
 * {@code scripts: manifest-only} can tell a listed script operand from code given inline or
 * on stdin. The manifest stores the full spec of every interpreter ({@link Policy#interpreters()});
 * {@link #profile} gives the built-in ones a policy file may name.
 *
 * <p>The command-line model: argv[0] is the interpreter's name; options come first, as
 * clusters of one-character flags after {@code -} (or {@code +} with {@link #plusOptions}),
 * or as long options {@code --name}, {@code --name=value}; {@code --} ends the options; the
 * first word that is not an option is the script operand, and every word after it is the
 * script's. Flags no list names are flags without an argument. A {@code -} inside a cluster
 * ({@code -u-}, {@code -b-help}) counts as inline code: parsers disagree on what follows it.
 *
 * @param inlineCode            flags whose presence means code from outside any file: {@code bash -c},
 *                              {@code lua -e}, {@code lua -l} (loads a module by name from the search path),
 *                              {@code bash --login} (runs startup files it does not name). Always refused.
 * @param stdinCode             flags that make it read code from stdin instead of a script operand; the
 *                              operands become arguments ({@code bash -s})
 * @param interactive           flags that make it read code from stdin as well as running any operand
 *                              ({@code lua -i}, {@code bash -i})
 * @param takesArgument         flags whose argument is not code ({@code bash -o posix}, {@code -O})
 * @param scriptFile            flags whose argument is a file of code that must be a listed script
 *                              ({@code bash --rcfile FILE})
 * @param flags                 other flags known to take no argument; needed only for long options
 *                              that may be spelt with one dash ({@code bash -norc})
 * @param optionArgument        where a one-character flag's argument is
 * @param plusOptions           {@code +} starts a cluster like {@code -}, with the same flags ({@code bash +o posix})
 * @param singleDashLongOptions a leading {@code -name} that is a listed long option {@code --name} is that
 *                              option (bash reads long options first, with one dash or two)
 * @param dash                  what a lone {@code -} in the options means
 * @param loginArgv0            an argv[0] starting with {@code -} makes it a login shell, which runs startup
 *                              files (bash): counted as inline code
 * @param codeVariables         environment variables that carry code when set to a non-empty value
 *                              ({@code BASH_ENV}, {@code LUA_INIT}); a trailing {@code *} matches any suffix
 */
public record InterpreterSpec(List<String> inlineCode, List<String> stdinCode, List<String> interactive,
                              List<String> takesArgument, List<String> scriptFile, List<String> flags,
                              OptionArgument optionArgument, boolean plusOptions, boolean singleDashLongOptions,
                              Dash dash, boolean loginArgv0, List<String> codeVariables) {

    /** Bounds on a spec's size, so that a manifest cannot make classification costly. */
    public static final int MAX_LIST = 64, MAX_FLAG_CHARS = 64;

    private static final Pattern SHORT_FLAG = Pattern.compile("-[!-~&&[^-=]]");
    private static final Pattern LONG_FLAG = Pattern.compile("--[A-Za-z0-9][A-Za-z0-9_-]*");
    private static final Pattern VARIABLE = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*\\*?");

    /** Where a one-character flag's argument is. */
    public enum OptionArgument {
        /** Always the next word; the rest of the cluster is more flags (bash: {@code -xo posix}). */
        NEXT("next"),
        /** The rest of the cluster if any, else the next word (getopt, lua: {@code -eCODE}, {@code -e CODE}). */
        ATTACHED_OR_NEXT("attached-or-next");

        private final String jsonName;

        OptionArgument(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }

        public static Optional<OptionArgument> byName(String name) {
            for (OptionArgument a : values()) if (a.jsonName.equals(name)) return Optional.of(a);
            return Optional.empty();
        }
    }

    /**
     * What a lone {@code -} among the options means. After {@code --} it is a file named {@code -},
     * except with {@link #STDIN_ALWAYS}.
     */
    public enum Dash {
        /** The script is read from stdin (lua). */
        STDIN("stdin"),
        /** The options end, like {@code --} (bash). */
        END_OF_OPTIONS("end-of-options"),
        /**
         * The script is read from stdin, and so is an operand {@code -} right after {@code --}
         * (python: {@code python3 -- -} reads stdin, it does not open a file named {@code -}).
         */
        STDIN_ALWAYS("stdin-always");

        private final String jsonName;

        Dash(String jsonName) {
            this.jsonName = jsonName;
        }

        public String jsonName() {
            return jsonName;
        }

        public static Optional<Dash> byName(String name) {
            for (Dash d : values()) if (d.jsonName.equals(name)) return Optional.of(d);
            return Optional.empty();
        }
    }

    /** The names of the built-in profiles a policy file may give instead of a spec. */
    public static final List<String> PROFILES = List.of("bash", "lua", "python");

    public InterpreterSpec {
        inlineCode = List.copyOf(inlineCode);
        stdinCode = List.copyOf(stdinCode);
        interactive = List.copyOf(interactive);
        takesArgument = List.copyOf(takesArgument);
        scriptFile = List.copyOf(scriptFile);
        flags = List.copyOf(flags);
        codeVariables = List.copyOf(codeVariables);
    }

    /**
     * A built-in profile: {@code bash} (GNU bash 5, also right for {@code sh} when sh is bash),
     * {@code lua} (the standalone lua 5.4 interpreter) or {@code python} (CPython 3.11).
     *
     * <p>{@code python} follows CPython 3.11's own option parser (Python/getopt.c and
     * initconfig.c): one-character flags cluster, an argument flag takes the rest of the cluster
     * or the next word ({@code -Wignore}, {@code -W ignore}); {@code -c} and {@code -m} end the
     * options; a lone {@code -} means stdin before and right after {@code --}. Refused as inline
     * code: {@code -c CMD}; {@code -m MOD}, because the module is found by name on a search path
     * that starts with the working directory, so which file runs is not on the command line, and
     * only an interpreter that checks its own loads (the open-code hook asking
     * {@code AT_EXECVE_CHECK}) would refuse an unlisted one, which a profile cannot know of a
     * binary; {@code -X}, because {@code -X pycache_prefix=DIR} makes it read bytecode from a tree
     * the caller names (every other {@code -X} option has an environment twin that stays allowed,
     * {@code PYTHONUTF8}, {@code PYTHONDEVMODE}, ...). {@code -i} (and {@code PYTHONINSPECT}) reads
     * stdin after the script. {@code -W} and {@code --check-hash-based-pycs} take an argument that
     * is not code (a {@code -W} category {@code module.Class} is imported while the options are
     * applied, before the script's directory or site-packages are on {@code sys.path}, so only from
     * the installed standard library). Environment that names code or where code is found is
     * refused when set, even with {@code -E} or {@code -I} (which make Python ignore it: fail
     * closed): {@code PYTHONSTARTUP}, {@code PYTHONPATH}, {@code PYTHONHOME},
     * {@code PYTHONPLATLIBDIR}, {@code PYTHONUSERBASE}, {@code PYTHONPYCACHEPREFIX},
     * {@code PYTHONBREAKPOINT} (imports {@code module.function} when {@code breakpoint()} runs),
     * {@code PYTHONEXECUTABLE} and {@code __PYVENV_LAUNCHER__} (they move the directory searched
     * for {@code pyvenv.cfg}, whose {@code home} moves the standard library),
     * {@code PYTHONINSPECT}. docs/python-policy.md gives the reasons for the rest.
     */
    public static Optional<InterpreterSpec> profile(String name) {
        return switch (name) {
            case "bash" -> Optional.of(new InterpreterSpec(
                    // --wordexp expands its words (command substitution); --debugger runs the debugger profile.
                    List.of("--debugger", "--login", "--wordexp", "-c", "-l"),
                    List.of("-s"),
                    List.of("-i"),
                    List.of("-O", "-o"),
                    List.of("--init-file", "--rcfile"),
                    List.of("--debug", "--dump-po-strings", "--dump-strings", "--help", "--noediting", "--noprofile",
                            "--norc", "--posix", "--pretty-print", "--protected", "--restricted", "--verbose", "--version"),
                    OptionArgument.NEXT, true, true, Dash.END_OF_OPTIONS, true,
                    // BASHOPTS=extdebug at startup runs the debugger profile; PS4 is expanded under -x.
                    List.of("BASHOPTS", "BASH_ENV", "BASH_FUNC_*", "ENV", "PS4")));
            case "lua" -> Optional.of(new InterpreterSpec(
                    List.of("-e", "-l"), List.of(), List.of("-i"), List.of(), List.of(), List.of("-E", "-W", "-v"),
                    OptionArgument.ATTACHED_OR_NEXT, false, false, Dash.STDIN, false,
                    List.of("LUA_INIT*")));
            case "python" -> Optional.of(new InterpreterSpec(
                    List.of("-X", "-c", "-m"), List.of(), List.of("-i"), List.of("--check-hash-based-pycs", "-W"), List.of(),
                    List.of("--help", "--help-all", "--help-env", "--help-xoptions", "--version", "-?", "-B", "-E", "-I",
                            "-O", "-P", "-R", "-S", "-V", "-b", "-d", "-h", "-q", "-s", "-t", "-u", "-v", "-x"),
                    OptionArgument.ATTACHED_OR_NEXT, false, false, Dash.STDIN_ALWAYS, false,
                    List.of("PYTHONBREAKPOINT", "PYTHONEXECUTABLE", "PYTHONHOME", "PYTHONINSPECT", "PYTHONPATH",
                            "PYTHONPLATLIBDIR", "PYTHONPYCACHEPREFIX", "PYTHONSTARTUP", "PYTHONUSERBASE", "__PYVENV_LAUNCHER__")));
            default -> Optional.empty();
        };
    }

    /** The same spec with every list sorted and without repeats: the form a manifest holds. */
    public InterpreterSpec normalized() {
        return new InterpreterSpec(sorted(inlineCode), sorted(stdinCode), sorted(interactive), sorted(takesArgument),
                sorted(scriptFile), sorted(flags), optionArgument, plusOptions, singleDashLongOptions, dash, loginArgv0,
                sorted(codeVariables));
    }

    private static List<String> sorted(List<String> list) {
        return list.stream().distinct().sorted().toList();
    }

    /** The flag lists with their manifest member names, in a fixed order. */
    public Map<String, List<String>> flagLists() {
        Map<String, List<String>> lists = new java.util.LinkedHashMap<>();
        lists.put("inlineCode", inlineCode);
        lists.put("stdinCode", stdinCode);
        lists.put("interactive", interactive);
        lists.put("takesArgument", takesArgument);
        lists.put("scriptFile", scriptFile);
        lists.put("flags", flags);
        return lists;
    }

    /** What is wrong with this spec, naming the member, or empty if it is valid (and normalized). */
    public Optional<String> problem() {
        if (optionArgument == null) return Optional.of("optionArgument is missing");
        if (dash == null) return Optional.of("dash is missing");
        Map<String, String> listOf = new HashMap<>();
        for (Map.Entry<String, List<String>> list : flagLists().entrySet()) {
            String member = list.getKey();
            Optional<String> p = checkList(member, list.getValue());
            if (p.isPresent()) return p;
            for (String flag : list.getValue()) {
                boolean isShort = SHORT_FLAG.matcher(flag).matches();
                if (!isShort && !(flag.length() <= MAX_FLAG_CHARS && LONG_FLAG.matcher(flag).matches())) {
                    return Optional.of(member + " has '" + flag + "', which is neither -X (one printable character) nor --name"
                            + (flag.startsWith("+") ? " (with plusOptions, -X covers +X)" : ""));
                }
                String other = listOf.putIfAbsent(flag, member);
                if (other != null) return Optional.of("'" + flag + "' is in both " + other + " and " + member);
            }
        }
        Optional<String> p = checkList("codeVariables", codeVariables);
        if (p.isPresent()) return p;
        for (String v : codeVariables) {
            if (v.length() > MAX_FLAG_CHARS || !VARIABLE.matcher(v).matches()) {
                return Optional.of("codeVariables has '" + v + "', which is not a variable name (optionally ending in *)");
            }
        }
        return Optional.empty();
    }

    private static Optional<String> checkList(String member, List<String> list) {
        if (list.size() > MAX_LIST) return Optional.of(member + " has " + list.size() + " entries, over the limit of " + MAX_LIST);
        if (list.stream().anyMatch(s -> s == null)) return Optional.of(member + " has a null entry");
        if (!list.equals(sorted(list))) return Optional.of(member + " must be sorted and distinct");
        return Optional.empty();
    }

    /**
     * {@link #classify(List, List)} on the raw bytes execve passes. Each byte becomes one char
     * (ISO-8859-1), so no byte sequence can turn into a flag character and lengths stay as
     * given; turn a result's paths back into bytes with {@link #rawBytes}.
     */
    public ScriptInvocation classifyRaw(List<byte[]> argv, List<byte[]> envp) {
        return classify(latin1(argv), latin1(envp));
    }

    /** The bytes of a path or flag from {@link #classifyRaw}'s result, exactly as they were in argv. */
    public static byte[] rawBytes(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    private static List<String> latin1(List<byte[]> words) {
        List<String> out = new ArrayList<>(words.size());
        for (byte[] w : words) out.add(w == null ? null : new String(w, StandardCharsets.ISO_8859_1));
        return out;
    }

    /** {@link #classify(List, List)} with an empty environment. */
    public ScriptInvocation classify(List<String> argv) {
        return classify(argv, List.of());
    }

    /**
     * Where the code of {@code argv} (argv[0] = the interpreter's name, as execve passes it)
     * comes from, with {@code envp} the environment ({@code NAME=VALUE} strings) it starts with.
     * Pure and total: any argv gives a result, in time linear in its total length. Fails
     * closed: what this model cannot place exactly counts as inline code, stdin code, or a
     * file that must be listed. Precedence: inline code anywhere in the options (or in the
     * environment) wins; then a stdin flag; then the operand.
     */
    public ScriptInvocation classify(List<String> argv, List<String> envp) {
        Optional<String> variable = codeVariable(envp);
        if (variable.isPresent()) return new InlineCode("$" + variable.get());
        if (argv.isEmpty()) return new StdinCode("no arguments, not even a name", List.of());
        String name = argv.getFirst();
        if (loginArgv0 && name != null && name.startsWith("-")) return new InlineCode("argv[0] " + shorten(name) + " (login shell)");
        Tables t = new Tables();
        List<ScriptFile> files = new ArrayList<>();
        String stdinFlag = null, interactiveFlag = null;
        boolean dashStdin = false;
        boolean longPhase = singleDashLongOptions;
        int n = argv.size(), i = 1;
        while (i < n) {
            String a = argv.get(i);
            if (a == null) a = "";
            if (a.equals("--")) {
                i++;
                break;
            }
            if (a.equals("-")) {
                if (dash != Dash.END_OF_OPTIONS) dashStdin = true;
                else i++;
                break;
            }
            boolean dashLong = a.startsWith("--");
            if (!dashLong && longPhase && a.length() > 2 && a.charAt(0) == '-' && t.longs.containsKey("-" + longName(a))) {
                a = "-" + a;
                dashLong = true;
            } else if (!dashLong) {
                longPhase = false;
            }
            if (dashLong) {
                String flag = longName(a);
                int eq = a.indexOf('=');
                Kind kind = t.longs.getOrDefault(flag, Kind.FLAG);
                switch (kind) {
                    case INLINE -> {
                        return new InlineCode(flag);
                    }
                    case STDIN -> stdinFlag = flag;
                    case INTERACTIVE -> interactiveFlag = flag;
                    case ARGUMENT, SCRIPT_FILE -> {
                        String value;
                        int at;
                        if (eq >= 0) {
                            value = a.substring(eq + 1);
                            at = i;
                        } else {
                            at = ++i;
                            value = at < n ? argv.get(at) : null;
                        }
                        if (kind == Kind.SCRIPT_FILE) {
                            if (value == null || value.isEmpty()) return new InlineCode(flag + " without a file");
                            files.add(new ScriptFile(flag, at, value));
                        }
                    }
                    case FLAG -> { }
                }
                i++;
                continue;
            }
            char prefix = a.isEmpty() ? 0 : a.charAt(0);
            if (prefix == '-' || (prefix == '+' && plusOptions)) {
                int consumed = 0;
                for (int j = 1; j < a.length(); j++) {
                    char c = a.charAt(j);
                    // CPython's parser ends its options at a cluster's trailing - (python3 -u- -W x s.py runs
                    // the file "-W") and reads a long option after an inner one; bash and lua reject the word.
                    // Which word is the script is then not the model's to guess: refused.
                    if (c == '-') return new InlineCode(shorten(a) + " (a - inside an option cluster)");
                    Kind kind = c < 128 ? t.shorts[c] : null;
                    if (kind == null) continue;
                    switch (kind) {
                        case INLINE -> {
                            return new InlineCode(prefix + String.valueOf(c));
                        }
                        case STDIN -> stdinFlag = "-" + c;
                        case INTERACTIVE -> interactiveFlag = "-" + c;
                        case ARGUMENT, SCRIPT_FILE -> {
                            String value;
                            int at;
                            if (optionArgument == OptionArgument.ATTACHED_OR_NEXT && j + 1 < a.length()) {
                                value = a.substring(j + 1);
                                at = i;
                                j = a.length();
                            } else {
                                at = i + 1 + consumed++;
                                value = at < n ? argv.get(at) : null;
                                if (optionArgument == OptionArgument.ATTACHED_OR_NEXT) j = a.length();
                            }
                            if (kind == Kind.SCRIPT_FILE) {
                                if (value == null || value.isEmpty()) return new InlineCode("-" + c + " without a file");
                                files.add(new ScriptFile("-" + c, at, value));
                            }
                        }
                        case FLAG -> { }
                    }
                }
                i += 1 + consumed;
                continue;
            }
            break;
        }
        // python: "python3 -- -" reads stdin too.
        if (dash == Dash.STDIN_ALWAYS && i < n && "-".equals(argv.get(i))) dashStdin = true;
        if (stdinFlag != null) return new StdinCode("flag " + stdinFlag, files);
        if (dashStdin) return new StdinCode("script operand -", files);
        if (i < n) {
            String operand = argv.get(i) == null ? "" : argv.get(i);
            if (interactiveFlag != null) {
                files.add(new ScriptFile("operand", i, operand));
                return new StdinCode("flag " + interactiveFlag, files);
            }
            return new ScriptOperand(i, operand, files);
        }
        return new StdinCode(interactiveFlag != null ? "flag " + interactiveFlag : "no script operand", files);
    }

    /** The first variable of {@code envp} that carries code (set, non-empty, named by {@link #codeVariables}). */
    private Optional<String> codeVariable(List<String> envp) {
        if (codeVariables.isEmpty()) return Optional.empty();
        boolean[] firstChars = new boolean[128];
        for (String v : codeVariables) {
            if (v.isEmpty() || v.charAt(0) >= 128 || v.charAt(0) == '*') Arrays.fill(firstChars, true); // never valid, but never skip
            else firstChars[v.charAt(0)] = true;
        }
        for (String entry : envp) {
            // Variable names are ASCII, so most entries are passed over on their first character.
            if (entry == null || entry.isEmpty() || (entry.charAt(0) < 128 && !firstChars[entry.charAt(0)])) continue;
            int eq = entry.indexOf('=');
            if (eq <= 0 || eq == entry.length() - 1) continue;
            for (String v : codeVariables) {
                boolean prefix = v.endsWith("*");
                int len = prefix ? v.length() - 1 : v.length();
                if (prefix ? eq >= len && entry.regionMatches(0, v, 0, len) : eq == len && entry.regionMatches(0, v, 0, len)) {
                    return Optional.of(shorten(entry.substring(0, eq)));
                }
            }
        }
        return Optional.empty();
    }

    private static String longName(String a) {
        int eq = a.indexOf('=');
        return shorten(eq < 0 ? a : a.substring(0, eq));
    }

    /** Bounds what a hostile word can put into a result (and so into an audit event). */
    private static String shorten(String s) {
        return s.length() <= 2 * MAX_FLAG_CHARS ? s : s.substring(0, 2 * MAX_FLAG_CHARS) + "…";
    }

    private enum Kind { INLINE, STDIN, INTERACTIVE, ARGUMENT, SCRIPT_FILE, FLAG }

    /** The spec's flags by kind, for one classification: one-character flags by character, long ones by name. */
    private final class Tables {
        final Kind[] shorts = new Kind[128];
        final Map<String, Kind> longs = new HashMap<>();

        Tables() {
            put(flags, Kind.FLAG);
            put(takesArgument, Kind.ARGUMENT);
            put(scriptFile, Kind.SCRIPT_FILE);
            put(interactive, Kind.INTERACTIVE);
            put(stdinCode, Kind.STDIN);
            put(inlineCode, Kind.INLINE);
        }

        private void put(List<String> list, Kind kind) {
            for (String flag : list) {
                if (flag.startsWith("--")) longs.put(flag, kind);
                else if (flag.length() == 2 && flag.charAt(1) < 128) shorts[flag.charAt(1)] = kind;
            }
        }
    }
}
