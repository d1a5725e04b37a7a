package io.cairn.producer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Why a send failed. The message is meant for the producer's user; {@link #reason()} is for code
 * that maps failures, for example to HTTP status codes.
 */
@ProviderType
public class ProducerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** What went wrong. */
    @ProviderType
    public enum Reason {
        /** The topic does not exist and could not be created ({@code auto.create.topics.enable}, name). */
        UNKNOWN_TOPIC,
        /** The record names a partition the topic does not have. */
        UNKNOWN_PARTITION,
        /** The topic's partitioner refused the record (its message says why). */
        INVALID_RECORD,
        /** The record does not fit in one batch of the topic's {@code max.message.bytes}. */
        RECORD_TOO_LARGE,
        /** The topic's partitioner was missing for longer than {@code cairn.plugin.wait.ms}. */
        PARTITIONER_UNAVAILABLE,
        /** The broker refused or could not complete the write; may succeed if retried. */
        BROKER_ERROR
    }

    private final Reason reason;
    private final String brokerError;

    /**
     * @param reason what went wrong
     * @param brokerError the broker's error name ({@code NOT_ENOUGH_REPLICAS}, …) for
     *     {@link Reason#BROKER_ERROR}, otherwise {@code null}
     * @param message the message for the user
     * @param cause the cause, or {@code null}
     */
    public ProducerException(Reason reason, String brokerError, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
        this.brokerError = brokerError;
    }

    /** What went wrong. */
    public Reason reason() {
        return reason;
    }

    /** The broker's error name for {@link Reason#BROKER_ERROR}, else {@code null}. */
    public String brokerError() {
        return brokerError;
    }
}
