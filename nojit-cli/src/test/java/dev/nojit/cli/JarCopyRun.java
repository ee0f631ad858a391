package dev.nojit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of a copy of nojit.jar (with nojit-host.jar beside it), started as the ./nojit launcher starts it ({@link NojitJvm}'s flags). */
record JarCopyRun(int code, String out, String err) {
    /**
     * @param jar the copy of nojit.jar
     * @param cwd the working directory; also where stdout and stderr are collected
     * @param aot class-sharing options, or none for {@code -Xshare:auto}
     */
    static JarCopyRun of(Path jar, Path cwd, List<String> aot, Object... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-XX:+UseSerialGC"));
        cmd.addAll(NojitJvm.SHIM_JIT);
        cmd.addAll(List.of("-XX:ReservedCodeCacheSize=64m", "-XX:InitialCodeCacheSize=64m", "--illegal-native-access=deny",
                "--module-path", jar.resolveSibling("nojit-host.jar").toString(), "--add-modules", "dev.nojit.host",
                "--enable-native-access=dev.nojit.host"));
        cmd.addAll(aot.isEmpty() ? List.of("-Xshare:auto") : aot);
        cmd.addAll(List.of("-cp", jar.toString(), Nojit.class.getName()));
        for (Object a : args) cmd.add(a.toString());
        Path out = cwd.resolve("out.txt"), err = cwd.resolve("err.txt");
        Process p = new ProcessBuilder(cmd).directory(cwd.toFile()).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        if (!p.waitFor(600, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("nojit did not finish: " + List.of(args));
        }
        return new JarCopyRun(p.exitValue(), Files.readString(out, StandardCharsets.UTF_8), Files.readString(err, StandardCharsets.UTF_8));
    }
}
