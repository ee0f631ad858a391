package dev.nojit.host.spawn;

import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;

/**
 * Child-process entry point for the confinement tests: tries each action named by an argument and prints
 * one line per action, {@code <action> OK <detail>} or {@code <action> DENIED <exception>: <message>}.
 * Actions: read:PATH, write:PATH, list:DIR, exec:PROGRAM, procmem (open /proc/self/mem read-write),
 * urandom (SecureRandom bytes), tcp:HOST:PORT (connect), sleep:MS, timezone,
 * stat:PATH (size and mtime), readlink:PATH, spawnjava:ACTION (a grandchild
 * JVM with the same class path runs ACTION).
 */
public final class ConfinementProbeMain {
    public static void main(String[] args) {
        for (String action : args) {
            try {
                long t0 = System.nanoTime();
                String result = attempt(action);
                System.out.println(action + " OK " + result + " (" + (System.nanoTime() - t0) / 1_000_000 + " ms)");
            } catch (Throwable t) {
                System.out.println(action + " DENIED " + t.getClass().getName() + ": " + t.getMessage());
            }
        }
        System.out.flush();
    }

    private static String attempt(String action) throws Exception {
        int colon = action.indexOf(':');
        String verb = colon < 0 ? action : action.substring(0, colon);
        String arg = colon < 0 ? "" : action.substring(colon + 1);
        return switch (verb) {
            case "read" -> Files.readAllBytes(Path.of(arg)).length + " bytes";
            case "write" -> Files.writeString(Path.of(arg), "written by a confined child\n").toString();
            case "list" -> {
                try (var s = Files.list(Path.of(arg))) {
                    yield s.count() + " entries";
                }
            }
            case "exec" -> "exit " + new ProcessBuilder(arg).start().waitFor();
            case "procmem" -> {
                try (RandomAccessFile f = new RandomAccessFile("/proc/self/mem", "rw")) {
                    yield "opened";
                }
            }
            case "urandom" -> {
                // Names the algorithm: without /dev/urandom the JDK silently falls back to DRBG seeded
                // from thread timing, which is slow (seconds) and weaker.
                SecureRandom r = new SecureRandom();
                r.nextBytes(new byte[16]);
                yield r.getAlgorithm();
            }
            case "tcp" -> {
                int p = arg.lastIndexOf(':');
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress(arg.substring(0, p), Integer.parseInt(arg.substring(p + 1))), 2000);
                    yield "connected";
                }
            }
            case "sleep" -> {
                Thread.sleep(Long.parseLong(arg));
                yield "slept";
            }
            case "stat" -> Files.size(Path.of(arg)) + " bytes, modified " + Files.getLastModifiedTime(Path.of(arg));
            case "readlink" -> Files.readSymbolicLink(Path.of(arg)).toString();
            case "timezone" -> java.util.TimeZone.getDefault().getID();
            case "spawnjava" -> {
                // A grandchild JVM running one action: shows that descendants inherit the domain.
                Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                        "-cp", System.getProperty("java.class.path"), ConfinementProbeMain.class.getName(), arg)
                        .redirectErrorStream(true).start();
                String out = new String(p.getInputStream().readAllBytes()).strip();
                yield "grandchild exit " + p.waitFor() + ": " + out;
            }
            default -> throw new IllegalArgumentException("unknown action " + action);
        };
    }
}
