package io.cairn.protocol.kafka.internal;

/**
 * A client broke the Kafka protocol in a way a broker answers by closing the connection: a frame
 * size out of bounds, an unknown API key, an unsupported version, a request that does not parse.
 * Thrown by the decoders; {@link KafkaConnection} logs it once and closes.
 *
 * <p>Thread-safety: immutable.
 */
final class ProtocolViolationException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    ProtocolViolationException(String message) {
        super(message, null, false, false);
    }

    ProtocolViolationException(String message, Throwable cause) {
        super(message, cause, false, false);
    }
}
