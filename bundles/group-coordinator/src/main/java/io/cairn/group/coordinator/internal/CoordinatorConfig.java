package io.cairn.group.coordinator.internal;

import java.util.Map;

/**
 * The broker keys the group coordinator reads, with Apache Kafka's defaults. Immutable.
 *
 * @param brokerId {@code broker.id}: the coordinator FindCoordinator names
 * @param minSessionTimeoutMs {@code group.min.session.timeout.ms} (6 s)
 * @param maxSessionTimeoutMs {@code group.max.session.timeout.ms} (30 min)
 * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms} (3 s): how long the first
 *     rebalance of an empty group waits for more members, so that a group starting up does not
 *     rebalance once per member
 * @param maxGroupSize {@code group.max.size} (unbounded)
 * @param offsetsRetentionMs {@code offsets.retention.minutes} (7 days) in ms
 * @param offsetsRetentionCheckIntervalMs {@code offsets.retention.check.interval.ms} (10 min)
 * @param offsetMetadataMaxBytes {@code offset.metadata.max.bytes} (4096)
 * @param offsetStore {@code cairn.offsets.store} ({@code file})
 * @param pluginWaitMs {@code cairn.plugin.wait.ms} (10 s): how long a call waits for a missing store
 */
record CoordinatorConfig(int brokerId, int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
        int maxGroupSize, long offsetsRetentionMs, long offsetsRetentionCheckIntervalMs, int offsetMetadataMaxBytes,
        String offsetStore, long pluginWaitMs) {

    /** A new member's JoinGroup waits at most this long (Kafka's {@code NewMemberJoinTimeoutMs}, 5 min). */
    static final int NEW_MEMBER_JOIN_TIMEOUT_MS = 5 * 60 * 1000;

    /** Kafka's defaults, as {@link #of} applies them to an empty configuration. */
    static CoordinatorConfig defaults() {
        return of(Map.of());
    }

    /** Reads the configuration from the broker PID's properties; bad numbers fail naming the key. */
    static CoordinatorConfig of(Map<String, ?> p) {
        return new CoordinatorConfig(
                (int) number(p, "broker.id", 0),
                (int) number(p, "group.min.session.timeout.ms", 6_000),
                (int) number(p, "group.max.session.timeout.ms", 1_800_000),
                (int) number(p, "group.initial.rebalance.delay.ms", 3_000),
                (int) number(p, "group.max.size", Integer.MAX_VALUE),
                number(p, "offsets.retention.minutes", 10_080) * 60_000L,
                number(p, "offsets.retention.check.interval.ms", 600_000),
                (int) number(p, "offset.metadata.max.bytes", 4096),
                text(p, "cairn.offsets.store", "file"),
                number(p, "cairn.plugin.wait.ms", 10_000));
    }

    private static long number(Map<String, ?> p, String key, long fallback) {
        Object v = p.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, was '" + v + "'");
        }
    }

    private static String text(Map<String, ?> p, String key, String fallback) {
        Object v = p.get(key);
        return v == null || v.toString().isBlank() ? fallback : v.toString().trim();
    }
}
