package dev.minidocker.exercises;

/** A failure of the teaching tools whose message is the one line to show the user. */
public class TeachingException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TeachingException(String message) {
        super(message);
    }

    public TeachingException(String message, Throwable cause) {
        super(message, cause);
    }
}
