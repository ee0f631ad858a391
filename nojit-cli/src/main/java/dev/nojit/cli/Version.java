package dev.nojit.cli;

import java.io.IOException;
import java.io.InputStream;
import java.util.Properties;

/** The nojit version, from the build (recorded in every manifest as the builder version). */
public final class Version {
    private Version() {}

    public static String get() {
        try (InputStream in = Version.class.getResourceAsStream("version.properties")) {
            Properties p = new Properties();
            if (in != null) p.load(in);
            return p.getProperty("version", "dev");
        } catch (IOException e) {
            return "dev";
        }
    }
}
