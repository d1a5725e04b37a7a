package io.cairn.storage.spi;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The effective configuration of one partition's log, under Kafka's topic-level keys
 * ({@code segment.bytes}, {@code retention.ms}, …) plus Cairn's {@value #FLUSH_ON_ACK}.
 *
 * <p>Immutable and thread-safe. A configuration change hands the log a new instance through
 * {@link PartitionLog#updateConfig(LogConfig)}. Keys this class does not know are kept in
 * {@link #asMap()} untouched, so that an engine may read keys of its own.
 *
 * <p>Build one with {@link #of(Map)} (topic keys over Kafka's defaults) or
 * {@link #fromBroker(Map, Map)} (Kafka's broker keys such as {@code log.segment.bytes} and
 * {@code log.retention.hours}, then the topic's overrides).
 */
@ProviderType
public final class LogConfig {

    public static final String SEGMENT_BYTES = "segment.bytes";
    public static final String SEGMENT_MS = "segment.ms";
    public static final String SEGMENT_INDEX_BYTES = "segment.index.bytes";
    public static final String INDEX_INTERVAL_BYTES = "index.interval.bytes";
    public static final String RETENTION_MS = "retention.ms";
    public static final String RETENTION_BYTES = "retention.bytes";
    public static final String FLUSH_MESSAGES = "flush.messages";
    public static final String FLUSH_MS = "flush.ms";
    public static final String FILE_DELETE_DELAY_MS = "file.delete.delay.ms";
    /** Cairn: force appended bytes to stable storage before {@link PartitionLog#append} returns. */
    public static final String FLUSH_ON_ACK = "cairn.flush.on.ack";

    /** Kafka's topic defaults (the broker defaults they inherit from). */
    private static final Map<String, String> DEFAULTS = Map.of(
            SEGMENT_BYTES, "1073741824",          // 1 GiB
            SEGMENT_MS, "604800000",              // 7 days
            SEGMENT_INDEX_BYTES, "10485760",      // 10 MiB
            INDEX_INTERVAL_BYTES, "4096",
            RETENTION_MS, "604800000",            // 7 days
            RETENTION_BYTES, "-1",
            FLUSH_MESSAGES, Long.toString(Long.MAX_VALUE),
            FLUSH_MS, Long.toString(Long.MAX_VALUE),
            FILE_DELETE_DELAY_MS, "60000",
            FLUSH_ON_ACK, "false");

    /**
     * Broker key → topic key, as Kafka's {@code ServerTopicConfigSynonyms}; where several broker
     * keys feed one topic key, the most precise one present wins (ms over minutes over hours).
     */
    private static final String[][] BROKER_SYNONYMS = {
        {SEGMENT_BYTES, "log.segment.bytes"},
        {SEGMENT_MS, "log.roll.ms", "log.roll.hours"},
        {SEGMENT_INDEX_BYTES, "log.index.size.max.bytes"},
        {INDEX_INTERVAL_BYTES, "log.index.interval.bytes"},
        {RETENTION_MS, "log.retention.ms", "log.retention.minutes", "log.retention.hours"},
        {RETENTION_BYTES, "log.retention.bytes"},
        {FLUSH_MESSAGES, "log.flush.interval.messages"},
        {FLUSH_MS, "log.flush.interval.ms"},
        {FILE_DELETE_DELAY_MS, "log.segment.delete.delay.ms"},
        {FLUSH_ON_ACK, FLUSH_ON_ACK},
    };

    /** The smallest segment that holds one v2 batch header; Kafka's own minimum is larger. */
    private static final int MIN_SEGMENT_BYTES = BatchHeader.HEADER_SIZE;

    private final Map<String, String> values;
    private final int segmentBytes;
    private final long segmentMs;
    private final int segmentIndexBytes;
    private final int indexIntervalBytes;
    private final long retentionMs;
    private final long retentionBytes;
    private final long flushMessages;
    private final long flushMs;
    private final long fileDeleteDelayMs;
    private final boolean flushOnAck;

    private LogConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
        this.segmentBytes = intValue(SEGMENT_BYTES, MIN_SEGMENT_BYTES);
        this.segmentMs = longValue(SEGMENT_MS, 1);
        // Room for at least one 12-byte time index entry besides the 8-byte offset entries.
        this.segmentIndexBytes = intValue(SEGMENT_INDEX_BYTES, 12);
        this.indexIntervalBytes = intValue(INDEX_INTERVAL_BYTES, 0);
        this.retentionMs = longValue(RETENTION_MS, -1);
        this.retentionBytes = longValue(RETENTION_BYTES, -1);
        this.flushMessages = longValue(FLUSH_MESSAGES, 1);
        this.flushMs = longValue(FLUSH_MS, 0);
        this.fileDeleteDelayMs = longValue(FILE_DELETE_DELAY_MS, 0);
        String ack = values.get(FLUSH_ON_ACK).trim();
        if (!ack.equalsIgnoreCase("true") && !ack.equalsIgnoreCase("false")) {
            throw new IllegalArgumentException(FLUSH_ON_ACK + " must be true or false: " + ack);
        }
        this.flushOnAck = Boolean.parseBoolean(ack);
    }

    /** Kafka's defaults and nothing else. */
    public static LogConfig defaults() {
        return of(Map.of());
    }

    /**
     * Topic-level keys over Kafka's defaults.
     *
     * @throws IllegalArgumentException if a known key has a value that is not a number in range
     */
    public static LogConfig of(Map<String, String> topicConfig) {
        Map<String, String> merged = new TreeMap<>(DEFAULTS);
        topicConfig.forEach((k, v) -> merged.put(k, Objects.requireNonNull(v, k)));
        return new LogConfig(merged);
    }

    /**
     * The effective configuration of a topic: Kafka's broker keys ({@code log.segment.bytes},
     * {@code log.roll.hours}, {@code log.retention.hours}, …) turned into topic keys, then the
     * topic's own overrides on top.
     *
     * @param broker broker configuration; values are turned into strings
     * @param topicOverrides the topic's configuration (may be empty)
     */
    public static LogConfig fromBroker(Map<String, ?> broker, Map<String, String> topicOverrides) {
        Map<String, String> merged = new LinkedHashMap<>();
        for (String[] synonyms : BROKER_SYNONYMS) {
            for (int i = 1; i < synonyms.length; i++) {
                Object value = broker.get(synonyms[i]);
                if (value != null && !value.toString().isBlank()) {
                    merged.put(synonyms[0], toTopicUnit(synonyms[i], value.toString().trim()));
                    break;
                }
            }
        }
        merged.putAll(topicOverrides);
        return of(merged);
    }

    private static String toTopicUnit(String brokerKey, String value) {
        long factor = brokerKey.endsWith(".hours") ? 3_600_000L : brokerKey.endsWith(".minutes") ? 60_000L : 1L;
        if (factor == 1) {
            return value;
        }
        try {
            return Long.toString(Math.multiplyExact(Long.parseLong(value), factor));
        } catch (NumberFormatException | ArithmeticException e) {
            throw new IllegalArgumentException(brokerKey + " is not a valid number: " + value, e);
        }
    }

    /** A copy with one key changed. */
    public LogConfig with(String key, String value) {
        Map<String, String> copy = new TreeMap<>(values);
        copy.put(key, value);
        return new LogConfig(copy);
    }

    /** {@code segment.bytes}: a new segment starts when the active one would grow past this. */
    public int segmentBytes() {
        return segmentBytes;
    }

    /** {@code segment.ms}: a new segment starts when the active one is older than this. */
    public long segmentMs() {
        return segmentMs;
    }

    /** {@code segment.index.bytes}: the largest an offset or time index file may grow. */
    public int segmentIndexBytes() {
        return segmentIndexBytes;
    }

    /** {@code index.interval.bytes}: bytes of batches between two offset index entries. */
    public int indexIntervalBytes() {
        return indexIntervalBytes;
    }

    /** {@code retention.ms}: segments whose newest record is older are deleted; -1 = forever. */
    public long retentionMs() {
        return retentionMs;
    }

    /** {@code retention.bytes}: oldest segments are deleted while the log is larger; -1 = no limit. */
    public long retentionBytes() {
        return retentionBytes;
    }

    /** {@code flush.messages}: fsync after this many records; {@link Long#MAX_VALUE} = never. */
    public long flushMessages() {
        return flushMessages;
    }

    /** {@code flush.ms}: fsync when the oldest unflushed record is older; {@link Long#MAX_VALUE} = never. */
    public long flushMs() {
        return flushMs;
    }

    /** {@code file.delete.delay.ms}: how long a deleted segment's files linger as {@code .deleted}. */
    public long fileDeleteDelayMs() {
        return fileDeleteDelayMs;
    }

    /** {@value #FLUSH_ON_ACK}: {@link PartitionLog#append} returns only once the bytes are durable. */
    public boolean flushOnAck() {
        return flushOnAck;
    }

    /** Every key of the effective configuration, including engine-specific ones; unmodifiable. */
    public Map<String, String> asMap() {
        return values;
    }

    private long longValue(String key, long min) {
        String raw = values.get(key).trim();
        long value;
        try {
            value = Long.parseLong(raw);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " is not a number: " + raw, e);
        }
        if (value < min) {
            throw new IllegalArgumentException(key + " must be at least " + min + ": " + value);
        }
        return value;
    }

    private int intValue(String key, int min) {
        long value = longValue(key, min);
        if (value > Integer.MAX_VALUE) {
            throw new IllegalArgumentException(key + " must be at most " + Integer.MAX_VALUE + ": " + value);
        }
        return (int) value;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof LogConfig other && values.equals(other.values);
    }

    @Override
    public int hashCode() {
        return values.hashCode();
    }

    @Override
    public String toString() {
        return "LogConfig" + values;
    }
}
