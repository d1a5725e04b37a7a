package io.cairn.storage.spi;

import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The effective configuration of one partition's log: the topic's overrides on top of the broker
 * defaults, under Kafka's topic-level keys ({@code segment.bytes}, {@code retention.ms}, …).
 * Immutable; a configuration change hands the log a new instance.
 */
@ProviderType
public interface LogConfig {

    /** {@code segment.bytes}: a new segment starts when the active one would grow past this. */
    int segmentBytes();

    /** {@code segment.ms}: a new segment starts when the active one is older than this. */
    long segmentMs();

    /** {@code retention.ms}: segments whose newest record is older are deleted; -1 = forever. */
    long retentionMs();

    /** {@code retention.bytes}: oldest segments are deleted while the log is larger; -1 = no limit. */
    long retentionBytes();

    /** {@code index.interval.bytes}: bytes of batches between two offset index entries. */
    int indexIntervalBytes();

    /** {@code flush.messages}: fsync after this many records; {@link Long#MAX_VALUE} = never. */
    long flushMessages();

    /** {@code flush.ms}: fsync when the oldest unflushed record is older; {@link Long#MAX_VALUE} = never. */
    long flushMs();

    /** Every key of the effective configuration, including engine-specific ones. */
    Map<String, String> asMap();
}
