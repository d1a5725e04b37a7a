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
    UNKNOWN_TOPIC_ID,

    // Consumer groups and offsets (broker-spi cluster 0.3.0).

    /** The coordinator cannot serve now (e.g. its offset store is missing); find it again and retry. */
    COORDINATOR_NOT_AVAILABLE,
    /** The coordinator is still loading the group's state; retry. */
    COORDINATOR_LOAD_IN_PROGRESS,
    /** This broker is not the coordinator of the group. */
    NOT_COORDINATOR,
    /** The request's generation is not the group's current one. */
    ILLEGAL_GENERATION,
    /** The member id is not (or no longer) a member of the group. */
    UNKNOWN_MEMBER_ID,
    /** The group is rebalancing: the member must rejoin. */
    REBALANCE_IN_PROGRESS,
    /** The session timeout is outside {@code group.min.session.timeout.ms}..{@code group.max.session.timeout.ms}. */
    INVALID_SESSION_TIMEOUT,
    /** A new member must rejoin with the member id handed to it (JoinGroup v4+). */
    MEMBER_ID_REQUIRED,
    /** Another member with the same {@code group.instance.id} has taken over. */
    FENCED_INSTANCE_ID,
    /** No group with this id exists. */
    GROUP_ID_NOT_FOUND,
    /** The group still has members, so it cannot be deleted. */
    NON_EMPTY_GROUP,
    /** The member's protocol type or protocols do not match the group's. */
    INCONSISTENT_GROUP_PROTOCOL,
    /** The group already has {@code group.max.size} members. */
    GROUP_MAX_SIZE_REACHED,
    /** The group id is empty or null where a group is required. */
    INVALID_GROUP_ID,
    /** A transactional offset commit for the partition is pending (OffsetFetch with require-stable). */
    UNSTABLE_OFFSET_COMMIT,
    /** The commit's metadata string is longer than {@code offset.metadata.max.bytes}. */
    OFFSET_METADATA_TOO_LARGE,
    /** The commit is too large to be written as one record. */
    INVALID_COMMIT_OFFSET_SIZE,
    /** OffsetDelete: the group's members consume the topic, so its offsets stay. */
    GROUP_SUBSCRIBED_TO_TOPIC,
    /** KIP-848: the requested server-side assignor does not exist. */
    UNSUPPORTED_ASSIGNOR,
    /** KIP-848: the member epoch is behind or ahead of the coordinator's; the member must rejoin with epoch 0. */
    FENCED_MEMBER_EPOCH,
    /** KIP-848: the member epoch is stale for this operation (offset commit); refresh and retry. */
    STALE_MEMBER_EPOCH,
    /** KIP-848: the static member's previous incarnation has not left yet. */
    UNRELEASED_INSTANCE_ID,
    /** KIP-848: the subscribed regular expression is not valid. */
    INVALID_REGULAR_EXPRESSION
}
