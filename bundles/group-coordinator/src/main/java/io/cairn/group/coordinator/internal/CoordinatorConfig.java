package io.cairn.group.coordinator.internal;

import java.util.Arrays;
import java.util.List;
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
 *     or assignor
 * @param consumerHeartbeatIntervalMs {@code group.consumer.heartbeat.interval.ms} (5 s): the interval
 *     consumer (KIP-848) group members are told to heartbeat at
 * @param consumerSessionTimeoutMs {@code group.consumer.session.timeout.ms} (45 s): a consumer group
 *     member that has not heartbeated for this long is removed
 * @param consumerAssignors {@code group.consumer.assignors} ({@code uniform,range}): the server-side
 *     assignors clients may pick; the first is the default
 * @param consumerMaxSize {@code group.consumer.max.size} (unbounded): members per consumer group
 */
record CoordinatorConfig(int brokerId, int minSessionTimeoutMs, int maxSessionTimeoutMs, int initialRebalanceDelayMs,
        int maxGroupSize, long offsetsRetentionMs, long offsetsRetentionCheckIntervalMs, int offsetMetadataMaxBytes,
        String offsetStore, long pluginWaitMs, int consumerHeartbeatIntervalMs, int consumerSessionTimeoutMs,
        List<String> consumerAssignors, int consumerMaxSize) {

    CoordinatorConfig {
        consumerAssignors = List.copyOf(consumerAssignors);
        if (consumerAssignors.isEmpty()) {
            throw new IllegalArgumentException("group.consumer.assignors must name at least one assignor");
        }
        if (consumerHeartbeatIntervalMs <= 0 || consumerSessionTimeoutMs <= consumerHeartbeatIntervalMs) {
            throw new IllegalArgumentException("group.consumer.heartbeat.interval.ms (" + consumerHeartbeatIntervalMs
                    + ") must be positive and below group.consumer.session.timeout.ms (" + consumerSessionTimeoutMs + ")");
        }
    }

    /** The default server-side assignor: the first of {@code group.consumer.assignors}. */
    String defaultAssignor() {
        return consumerAssignors.get(0);
    }

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
                number(p, "cairn.plugin.wait.ms", 10_000),
                (int) number(p, "group.consumer.heartbeat.interval.ms", 5_000),
                (int) number(p, "group.consumer.session.timeout.ms", 45_000),
                Arrays.stream(text(p, "group.consumer.assignors", "uniform,range").split(",")).map(String::trim)
                        .filter(a -> !a.isEmpty()).map(CoordinatorConfig::assignorName).toList(),
                (int) number(p, "group.consumer.max.size", Integer.MAX_VALUE));
    }

    /**
     * Kafka's {@code group.consumer.assignors} lists class names; their short names are the ones
     * clients use. Cairn takes short names, and Kafka's own class names as their short names.
     */
    private static String assignorName(String configured) {
        return switch (configured) {
            case "org.apache.kafka.coordinator.group.assignor.UniformAssignor" -> "uniform";
            case "org.apache.kafka.coordinator.group.assignor.RangeAssignor" -> "range";
            default -> configured;
        };
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
