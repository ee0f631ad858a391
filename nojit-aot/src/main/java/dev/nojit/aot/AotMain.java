package dev.nojit.aot;

import dev.nojit.engine.InvalidModuleException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code java -cp nojit.jar:nojit-aot.jar dev.nojit.aot.AotMain --wasm FILE --out DIR [--returns-twice MODULE:NAME]...}
 * writes DIR/&lt;binary name&gt;.class for every generated class and DIR/index (binary names, entry class first),
 * prints "aot: compiled N of M functions (K left to the interpreter[; S split into regions])" and exits 0. Exit 1 with one line on
 * stderr for an invalid or unsupported module or an unreadable file; exit 2 for a usage error.
 */
public final class AotMain {
    private AotMain() {}

    public static void main(String[] args) {
        System.exit(run(args));
    }

    static int run(String[] args) {
        Path wasm = null, out = null;
        Set<String> returnsTwice = new LinkedHashSet<>();
        boolean deopt = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--deopt")) {
                deopt = true;
                continue;
            }
            if (i + 1 >= args.length || !(a.equals("--wasm") || a.equals("--out") || a.equals("--returns-twice"))) {
                System.err.println("usage: AotMain --wasm FILE --out DIR [--returns-twice MODULE:NAME]... [--deopt]");
                return 2;
            }
            String v = args[++i];
            switch (a) {
                case "--wasm" -> wasm = Path.of(v);
                case "--out" -> out = Path.of(v);
                default -> {
                    if (!v.contains(":")) {
                        System.err.println("aot: --returns-twice takes MODULE:NAME, not " + v);
                        return 2;
                    }
                    returnsTwice.add(v);
                }
            }
        }
        if (wasm == null || out == null) {
            System.err.println("usage: AotMain --wasm FILE --out DIR [--returns-twice MODULE:NAME]... [--deopt]");
            return 2;
        }
        AotCompiler.Output output;
        try {
            output = AotCompiler.compile(Files.readAllBytes(wasm), returnsTwice, deopt);
        } catch (IOException e) {
            System.err.println("aot: cannot read " + wasm + ": " + e.getMessage());
            return 1;
        } catch (InvalidModuleException e) {
            System.err.println("aot: " + wasm + ": " + oneLine(e.getMessage()));
            return 1;
        } catch (RuntimeException | StackOverflowError e) {
            System.err.println("aot: " + wasm + ": cannot translate: " + oneLine(String.valueOf(e.getMessage())));
            return 1;
        }
        try {
            Files.createDirectories(out);
            List<String> index = new ArrayList<>();
            for (AotCompiler.GeneratedClass c : output.classes()) {
                Files.write(out.resolve(c.binaryName() + ".class"), c.bytes());
                index.add(c.binaryName());
            }
            Files.write(out.resolve("index"), index);
        } catch (IOException e) {
            System.err.println("aot: cannot write " + out + ": " + e.getMessage());
            return 1;
        }
        System.out.println(output.summary());
        return 0;
    }

    private static String oneLine(String s) {
        String line = s == null ? "" : s.replaceAll("\\s+", " ").trim();
        return line.length() > 300 ? line.substring(0, 300) + "..." : line;
    }
}
