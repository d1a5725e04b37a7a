package io.cairn.protocol.kafka.internal;

/**
 * Completes a handler's stage when Kafka's answer to a request is to close the connection rather
 * than to respond: a produce request with {@code acks=0} that failed, so that the producer, which
 * expects no response, notices, refreshes its metadata and reconnects. Logged at INFO, once.
 *
 * <p>Thread-safety: immutable.
 */
final class CloseConnectionException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    CloseConnectionException(String message) {
        super(message, null, false, false);
    }
}
