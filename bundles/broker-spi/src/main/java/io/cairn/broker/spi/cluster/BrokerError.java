package io.cairn.broker.spi.cluster;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Why the broker refused or failed an operation. The names are Kafka's error names
 * ({@code org.apache.kafka.common.protocol.Errors}), so a front end speaking the Kafka protocol maps
 * them by name; others show them as they are.
 */
@ProviderType
public enum BrokerError {
    UNKNOWN_SERVER_ERROR,
    OFFSET_OUT_OF_RANGE,
    CORRUPT_MESSAGE,
    UNKNOWN_TOPIC_OR_PARTITION,
    INVALID_FETCH_SIZE,
    LEADER_NOT_AVAILABLE,
    NOT_LEADER_OR_FOLLOWER,
    REQUEST_TIMED_OUT,
    MESSAGE_TOO_LARGE,
    INVALID_TOPIC_EXCEPTION,
    RECORD_LIST_TOO_LARGE,
    NOT_ENOUGH_REPLICAS,
    NOT_ENOUGH_REPLICAS_AFTER_APPEND,
    INVALID_REQUIRED_ACKS,
    INVALID_TIMESTAMP,
    TOPIC_ALREADY_EXISTS,
    INVALID_PARTITIONS,
    INVALID_REPLICATION_FACTOR,
    INVALID_REPLICA_ASSIGNMENT,
    INVALID_CONFIG,
    INVALID_REQUEST,
    POLICY_VIOLATION,
    OUT_OF_ORDER_SEQUENCE_NUMBER,
    DUPLICATE_SEQUENCE_NUMBER,
    INVALID_PRODUCER_EPOCH,
    UNKNOWN_PRODUCER_ID,
    KAFKA_STORAGE_ERROR,
    TOPIC_DELETION_DISABLED,
    INVALID_RECORD,
    UNSUPPORTED_COMPRESSION_TYPE,
    UNKNOWN_TOPIC_ID
}
