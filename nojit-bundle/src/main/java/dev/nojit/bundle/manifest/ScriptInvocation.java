package dev.nojit.bundle.manifest;

import java.util.ArrayList;
import java.util.List;

/**
 * Where an interpreter's code comes from, as {@link InterpreterSpec#classify} reads its
 * command line and environment. Under {@code scripts: manifest-only} the exec gate refuses
 * {@link InlineCode}, requires every {@link #scriptFiles() script file} to be a listed
 * script, and allows {@link StdinCode} only when the interpreter's stdin is a terminal.
 */
public sealed interface ScriptInvocation {
    /** Every file the interpreter will run as code, in command-line order; each must be a listed script. */
    List<ScriptFile> scriptFiles();

    /**
     * A file of code named on the command line.
     *
     * @param source   the flag that names it ({@code --rcfile}), or {@code "operand"} for the script operand
     * @param argIndex the index in argv of the element that holds the path (for {@code --rcfile=r}, that element)
     * @param path     the path exactly as given (relative paths resolve against the caller's working directory)
     */
    record ScriptFile(String source, int argIndex, String path) {}

    /**
     * The interpreter runs the script operand {@code argv[argIndex]} (the arguments after it
     * are the script's), after any files named by script-file flags.
     */
    record ScriptOperand(int argIndex, String path, List<ScriptFile> flagFiles) implements ScriptInvocation {
        public ScriptOperand {
            flagFiles = List.copyOf(flagFiles);
        }

        @Override
        public List<ScriptFile> scriptFiles() {
            List<ScriptFile> all = new ArrayList<>(flagFiles);
            all.add(new ScriptFile("operand", argIndex, path));
            return List.copyOf(all);
        }
    }

    /**
     * The interpreter reads code from its stdin: no script operand, the operand {@code -}, a
     * stdin flag ({@code bash -s}), or an interactive flag ({@code lua -i}, which also runs
     * the operand: then it is among the script files). {@code why} says which, for the audit event.
     */
    record StdinCode(String why, List<ScriptFile> scriptFiles) implements ScriptInvocation {
        public StdinCode {
            scriptFiles = List.copyOf(scriptFiles);
        }
    }

    /**
     * Code from outside any file: a flag carrying code on the command line ({@code bash -c},
     * {@code lua -e}), a module loaded by name ({@code lua -l}), a flag that makes the
     * interpreter run startup files it does not name ({@code bash --login}), or an environment
     * variable that carries code ({@code $BASH_ENV}, {@code $LUA_INIT}). Always refused
     * under manifest-only. {@code flag} names the culprit as it appeared.
     */
    record InlineCode(String flag) implements ScriptInvocation {
        @Override
        public List<ScriptFile> scriptFiles() {
            return List.of();
        }
    }
}
