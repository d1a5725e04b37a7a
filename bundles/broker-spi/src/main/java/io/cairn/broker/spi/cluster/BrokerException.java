package io.cairn.broker.spi.cluster;

import org.osgi.annotation.versioning.ProviderType;

/** An operation was refused or failed; {@link #error()} says why, the message says what. */
@ProviderType
public class BrokerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    private final BrokerError error;

    public BrokerException(BrokerError error, String message) {
        super(message);
        this.error = error;
    }

    public BrokerException(BrokerError error, String message, Throwable cause) {
        super(message, cause);
        this.error = error;
    }

    /** The Kafka error this failure is reported as. */
    public BrokerError error() {
        return error;
    }
}
