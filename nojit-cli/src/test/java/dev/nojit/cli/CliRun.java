package dev.nojit.cli;

import java.io.PrintWriter;
import java.io.StringWriter;

/** One in-process run of the nojit command line, with what it printed. */
record CliRun(int exitCode, String out, String err) {
    static CliRun of(Object... args) {
        StringWriter out = new StringWriter(), err = new StringWriter();
        String[] argv = new String[args.length];
        for (int i = 0; i < args.length; i++) argv[i] = String.valueOf(args[i]);
        int code = Nojit.execute(new PrintWriter(out), new PrintWriter(err), argv);
        return new CliRun(code, out.toString(), err.toString());
    }

    /** True if stderr is a single line with no trace of a Java stack. */
    boolean errIsOneCleanLine() {
        String e = err.strip();
        return !e.isEmpty() && !e.contains("\n") && !e.contains("\tat ") && !e.contains("Exception");
    }
}
