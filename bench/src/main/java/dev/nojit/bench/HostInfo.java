package dev.nojit.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The machine and its load, for the headers of benchmark reports. */
public final class HostInfo {
    private HostInfo() {}

    /** For example "Intel(R) Xeon(R) Processor, 2 cores; Java 25.0.3 (OpenJDK 64-Bit Server VM)". */
    public static String describe() {
        return cpuModel() + ", " + Runtime.getRuntime().availableProcessors() + " cores; Java "
                + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")";
    }

    /** The 1, 5 and 15 minute load averages, or "?" off Linux. */
    public static String loadAverage() {
        try {
            String[] f = Files.readString(Path.of("/proc/loadavg")).strip().split("\\s+");
            return f[0] + " " + f[1] + " " + f[2];
        } catch (IOException | RuntimeException e) {
            return "?";
        }
    }

    public static String cpuModel() {
        try {
            for (String line : Files.readAllLines(Path.of("/proc/cpuinfo"))) {
                if (line.startsWith("model name")) return line.substring(line.indexOf(':') + 1).strip();
            }
        } catch (IOException | RuntimeException e) {
            // not Linux: fall through
        }
        return System.getProperty("os.arch");
    }
}
