package io.cairn.broker.spi.ack;

import org.osgi.annotation.versioning.ProviderType;

/** What an {@link AckStrategy} says about a produce request at one moment. */
@ProviderType
public enum AckOutcome {
    /** Done: answer the producer with success. */
    COMPLETE,
    /** Not yet: wait for replicas (or a flush) until the request times out. */
    PENDING,
    /** Refuse before appending: fewer in-sync replicas than {@code min.insync.replicas}. */
    NOT_ENOUGH_REPLICAS,
    /** Appended, but the in-sync set shrank below {@code min.insync.replicas} meanwhile. */
    NOT_ENOUGH_REPLICAS_AFTER_APPEND
}
