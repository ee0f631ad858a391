package dev.nojit.host.seccomp;

import java.io.FileInputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.zip.CRC32;

/**
 * The JDK maps some of its native libraries lazily, on a feature's first use; under the
 * filter that first use maps code PROT_EXEC and kills the process. Measured with JDK 25:
 * <ul>
 *   <li>libjimage.so: HotSpot opens the runtime image only for the first boot class that is not
 *       in the CDS archive; in a child JVM with jars on its class path, {@code System.exit} after
 *       the filter was such a first use (it asks for a System.Logger, whose classes come from
 *       the image) and died of SIGSYS while mapping libjimage.so;</li>
 *   <li>libzip.so: java.util.zip (jar reading inflates, CRC32), opened right after in that run;</li>
 *   <li>libnio.so: the first java.nio.file or channel use (MessageDigest's first provider lookup
 *       reads the security properties this way).</li>
 * </ul>
 * {@link #preload()} makes those first uses now and checks the result in /proc/self/maps. Other
 * libraries (libnet.so, libmanagement.so, libzip.so, ...) are the caller's to load by using the
 * feature before installing the filter.
 */
public final class JdkLibraries {
    static final Set<String> PRELOADED = Set.of("libjimage.so", "libnio.so", "libzip.so", "libnet.so", "libextnet.so");

    private JdkLibraries() {}

    /** Maps {@link #PRELOADED}; throws IllegalStateException when one is still missing. */
    public static void preload() {
        System.getLogger(JdkLibraries.class.getName()).isLoggable(System.Logger.Level.DEBUG);
        Files.isDirectory(Path.of("/"));
        new CRC32().update(0);
        // Sockets (the vkernel's audit uplink is a Unix socket): closing one loads libnet and libextnet.
        try (java.nio.channels.SocketChannel c = java.nio.channels.SocketChannel.open(java.net.StandardProtocolFamily.UNIX)) {
            c.supportedOptions();
        } catch (java.io.IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            Class.forName("jdk.net.ExtendedSocketOptions", true, ClassLoader.getSystemClassLoader());
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
        Set<String> missing = new TreeSet<>(PRELOADED);
        try {
            missing.removeAll(mapped());
        } catch (UncheckedIOException confined) {
            // Under Landlock without /proc (access(2) does not tell: Landlock checks at open) the
            // loads above still happened; there is just no way to look.
            return;
        }
        if (!missing.isEmpty()) throw new IllegalStateException("JDK libraries still not mapped: " + missing);
    }

    /** File names of the shared libraries mapped into this process (/proc/self/maps). */
    public static Set<String> mapped() {
        Set<String> names = new TreeSet<>();
        try (FileInputStream in = new FileInputStream("/proc/self/maps")) {
            for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
                int slash = line.lastIndexOf('/');
                if (slash >= 0 && line.contains(".so")) names.add(line.substring(slash + 1));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
