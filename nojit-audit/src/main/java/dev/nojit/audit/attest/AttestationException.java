package dev.nojit.audit.attest;

/**
 * An attestation failed a check or cannot be read. The message is one line naming what is wrong
 * (the field, the line of the file, the key), fit to show a user as it is.
 */
public final class AttestationException extends Exception {
    public AttestationException(String message) {
        super(message == null ? "unknown error" : message.replaceAll("[\\r\\n]+", " ").strip());
    }
}
