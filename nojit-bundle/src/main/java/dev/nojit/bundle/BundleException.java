package dev.nojit.bundle;

/**
 * A bundle, manifest, key or module failed a check. The message is one line that names the
 * problem (the file, entry, path or import at fault) and is fit to show a user as it is.
 */
public class BundleException extends Exception {
    public BundleException(String message) {
        super(oneLine(message));
    }

    public BundleException(String message, Throwable cause) {
        super(oneLine(message), cause);
    }

    private static String oneLine(String message) {
        return message == null ? "unknown error" : message.replaceAll("[\\r\\n]+", " ").strip();
    }
}
