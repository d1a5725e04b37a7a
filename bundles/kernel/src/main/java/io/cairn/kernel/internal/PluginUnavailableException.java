package io.cairn.kernel.internal;

/**
 * A selected plugin was missing for longer than {@code cairn.plugin.wait.ms}. Front ends turn it
 * into a retriable Kafka error; it never means data was lost.
 */
public final class PluginUnavailableException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    PluginUnavailableException(String message) {
        super(message);
    }
}
