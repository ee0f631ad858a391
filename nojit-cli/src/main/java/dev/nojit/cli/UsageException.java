package dev.nojit.cli;

/** A command-line value that parsed but makes no sense; exits with {@link ExitCodes#USAGE}. */
final class UsageException extends RuntimeException {
    UsageException(String message) {
        super(message);
    }
}
