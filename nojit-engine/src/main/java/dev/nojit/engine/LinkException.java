package dev.nojit.engine;

/** Instantiation failed before any code ran: a missing or mismatched import, or a limit of the engine. */
public final class LinkException extends Exception {
    public LinkException(String message) {
        super(message);
    }
}
