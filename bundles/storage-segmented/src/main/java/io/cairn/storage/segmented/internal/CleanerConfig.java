package io.cairn.storage.segmented.internal;

import java.util.Locale;
import java.util.Map;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.storage.spi.LogConfig;

/**
 * The log cleaner's broker configuration, under Kafka's keys and with Kafka's defaults, plus the
 * per-topic compaction settings derived from it and a topic's {@link LogConfig}.
 *
 * <p>Immutable; thread-safe.
 *
 * @param enabled {@code log.cleaner.enable} (true)
 * @param threads {@code log.cleaner.threads} (1)
 * @param backoffMs {@code log.cleaner.backoff.ms} (15000): how long an idle cleaner thread waits
 * @param dedupeBufferBytes {@code log.cleaner.dedupe.buffer.size} (128 MiB), shared by the threads:
 *     the memory budget of the key → offset maps
 * @param ioBufferBytes {@code log.cleaner.io.buffer.size} (512 KiB): read chunk size
 * @param minCleanableRatio {@code log.cleaner.min.cleanable.ratio} (0.5), default of the topic's
 *     {@code min.cleanable.dirty.ratio}
 * @param minCompactionLagMs {@code log.cleaner.min.compaction.lag.ms} (0)
 * @param maxCompactionLagMs {@code log.cleaner.max.compaction.lag.ms} (Long.MAX_VALUE)
 * @param deleteRetentionMs {@code log.cleaner.delete.retention.ms} (86400000, one day)
 * @param producerIdExpirationMs {@code producer.id.expiration.ms} (86400000): a producer's last
 *     batch, emptied by cleaning, is kept as an empty batch while it is younger than this
 */
record CleanerConfig(boolean enabled, int threads, long backoffMs, long dedupeBufferBytes, int ioBufferBytes,
        double minCleanableRatio, long minCompactionLagMs, long maxCompactionLagMs, long deleteRetentionMs,
        long producerIdExpirationMs) {

    static final String CLEANUP_POLICY = "cleanup.policy";
    static final String MIN_CLEANABLE_DIRTY_RATIO = "min.cleanable.dirty.ratio";
    static final String MIN_COMPACTION_LAG_MS = "min.compaction.lag.ms";
    static final String MAX_COMPACTION_LAG_MS = "max.compaction.lag.ms";
    static final String DELETE_RETENTION_MS = "delete.retention.ms";

    private static final Logger LOG = LoggerFactory.getLogger(CleanerConfig.class);

    /** Kafka's defaults. */
    static CleanerConfig defaults() {
        return from(Map.of());
    }

    static CleanerConfig from(Map<String, ?> broker) {
        return new CleanerConfig(
                bool(broker, "log.cleaner.enable", true),
                (int) Math.max(1, number(broker, "log.cleaner.threads", 1)),
                Math.max(1, number(broker, "log.cleaner.backoff.ms", 15_000)),
                Math.max(1 << 20, number(broker, "log.cleaner.dedupe.buffer.size", 128L << 20)),
                (int) Math.max(4096, Math.min(Integer.MAX_VALUE / 2, number(broker, "log.cleaner.io.buffer.size", 512 << 10))),
                ratio(broker.get("log.cleaner.min.cleanable.ratio"), 0.5),
                Math.max(0, number(broker, "log.cleaner.min.compaction.lag.ms", 0)),
                Math.max(1, number(broker, "log.cleaner.max.compaction.lag.ms", Long.MAX_VALUE)),
                Math.max(0, number(broker, "log.cleaner.delete.retention.ms", 86_400_000L)),
                Math.max(1, number(broker, "producer.id.expiration.ms", 86_400_000L)));
    }

    /**
     * What one topic's log is cleaned with: the topic's keys where set, else these broker defaults.
     *
     * @param compact {@code cleanup.policy} contains {@code compact}
     * @param delete {@code cleanup.policy} contains {@code delete} (time and size retention apply)
     */
    record Topic(boolean compact, boolean delete, double minCleanableRatio, long minCompactionLagMs,
            long maxCompactionLagMs, long deleteRetentionMs) {
    }

    Topic forTopic(LogConfig config) {
        Map<String, String> keys = config.asMap();
        return new Topic(compacted(config), deletes(config),
                ratio(keys.get(MIN_CLEANABLE_DIRTY_RATIO), minCleanableRatio),
                Math.max(0, number(keys, MIN_COMPACTION_LAG_MS, minCompactionLagMs)),
                Math.max(1, number(keys, MAX_COMPACTION_LAG_MS, maxCompactionLagMs)),
                Math.max(0, number(keys, DELETE_RETENTION_MS, deleteRetentionMs)));
    }

    /** Whether {@code cleanup.policy} lists {@code compact}. */
    static boolean compacted(LogConfig config) {
        return policy(config).contains("compact");
    }

    /** Whether {@code cleanup.policy} lists {@code delete} (the default when absent). */
    static boolean deletes(LogConfig config) {
        return policy(config).contains("delete");
    }

    private static java.util.Set<String> policy(LogConfig config) {
        String raw = config.asMap().getOrDefault(CLEANUP_POLICY, "delete");
        java.util.Set<String> values = new java.util.HashSet<>();
        for (String part : raw.split(",")) {
            values.add(part.trim().toLowerCase(Locale.ROOT));
        }
        return values;
    }

    private static boolean bool(Map<String, ?> map, String key, boolean fallback) {
        Object v = map.get(key);
        return v == null || v.toString().isBlank() ? fallback : Boolean.parseBoolean(v.toString().trim());
    }

    private static long number(Map<String, ?> map, String key, long fallback) {
        Object v = map.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring {}={}: not a number", key, v);
            return fallback;
        }
    }

    private static double ratio(Object v, double fallback) {
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        try {
            double value = Double.parseDouble(v.toString().trim());
            return value >= 0 && value <= 1 ? value : fallback;
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring cleanable ratio {}: not a number", v);
            return fallback;
        }
    }
}
