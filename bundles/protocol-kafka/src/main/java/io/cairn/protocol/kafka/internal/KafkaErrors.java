package io.cairn.protocol.kafka.internal;

import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.apache.kafka.common.errors.ApiException;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;

/**
 * From the kernel's failures to Kafka error codes. {@link BrokerError}s carry Kafka's error names,
 * so they map by name; kafka-clients' own {@link ApiException}s (thrown while validating records)
 * map as Kafka maps them; anything else is a bug or an outage and becomes
 * {@code UNKNOWN_SERVER_ERROR}, logged here at WARN because it is answered, not rethrown.
 *
 * <p>Thread-safety: stateless.
 */
final class KafkaErrors {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaErrors.class);

    private KafkaErrors() {
    }

    /** The Kafka error named like {@code error}. */
    static Errors of(BrokerError error) {
        try {
            return Errors.valueOf(error.name());
        } catch (IllegalArgumentException e) {
            return Errors.UNKNOWN_SERVER_ERROR;
        }
    }

    /** The Kafka error for a failure of {@code what} (for the log, if it is unexpected). */
    static Errors of(Throwable failure, Object what) {
        Throwable cause = unwrap(failure);
        if (cause instanceof BrokerException broker) {
            return of(broker.error());
        }
        if (cause instanceof ApiException api) {
            return Errors.forException(api);
        }
        LOG.warn("Unexpected failure of {}, answered with UNKNOWN_SERVER_ERROR", what, cause);
        return Errors.UNKNOWN_SERVER_ERROR;
    }

    /** The message to send with the error code, where the response has a field for it. */
    static String message(Throwable failure) {
        return unwrap(failure).getMessage();
    }

    /** The failure itself, without the wrappers of completion stages. */
    static Throwable unwrap(Throwable failure) {
        Throwable cause = failure;
        while ((cause instanceof CompletionException || cause instanceof ExecutionException)
                && cause.getCause() != null) {
            cause = cause.getCause();
        }
        return cause;
    }
}
