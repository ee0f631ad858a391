package dev.nojit.engine;

/** The bytes are not a valid module (or not a valid pre-decoded image); the message names the problem. */
public class InvalidModuleException extends Exception {
    public InvalidModuleException(String message) {
        super(message);
    }

    public InvalidModuleException(String message, Throwable cause) {
        super(message, cause);
    }
}
