package dev.nojit.cli;

import java.nio.file.Path;

/** A {@code PATH=VALUE} option value: a container path and what it maps to (split at the first '='). */
record Mapping(String containerPath, String value) {
    static Mapping parse(String option, String text) {
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new UsageException(option + " expects PATH=VALUE, got '" + text + "'");
        }
        return new Mapping(text.substring(0, eq), text.substring(eq + 1));
    }

    Path hostPath() {
        return Path.of(value);
    }
}
