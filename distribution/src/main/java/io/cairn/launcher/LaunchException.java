package io.cairn.launcher;

/**
 * A reason the broker cannot start that the operator can fix: a missing file, a bad argument, a
 * bundle that is not in {@code system/} or does not resolve. The message is the whole story and
 * is printed as it is, without a stack trace.
 */
final class LaunchException extends Exception {

    private static final long serialVersionUID = 1L;

    LaunchException(String message) {
        super(message);
    }

    LaunchException(String message, Throwable cause) {
        super(message, cause);
    }
}
