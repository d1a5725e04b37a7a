package io.cairn.kernel.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ConfigEntry;

/**
 * Topic-level configuration keys: Kafka's, with the broker key each defaults from (Kafka's
 * "synonyms", e.g. {@code retention.ms} ← {@code log.retention.ms} ← {@code log.retention.hours}),
 * plus Cairn's plugin selections. Unknown keys and bad values are refused with
 * {@code INVALID_CONFIG}, as Kafka refuses them. Stateless.
 */
final class TopicConfigs {

    /** Topic key → broker keys to default from, in order, and the value if none is set. */
    private record Key(String name, String[] brokerKeys, String fallback, Kind kind) {
    }

    private enum Kind { LONG, INT, RATIO, BOOLEAN, CLEANUP, COMPRESSION, TIMESTAMP_TYPE, TEXT }

    private static final long HOUR_MS = 3_600_000L;

    private static final List<Key> KEYS = List.of(
            new Key("cleanup.policy", new String[] {"log.cleanup.policy"}, "delete", Kind.CLEANUP),
            new Key("compression.type", new String[] {"compression.type"}, "producer", Kind.COMPRESSION),
            new Key("retention.ms", new String[] {"log.retention.ms", "log.retention.minutes", "log.retention.hours"},
                    "604800000", Kind.LONG),
            new Key("retention.bytes", new String[] {"log.retention.bytes"}, "-1", Kind.LONG),
            new Key("segment.bytes", new String[] {"log.segment.bytes"}, "1073741824", Kind.INT),
            new Key("segment.ms", new String[] {"log.roll.ms", "log.roll.hours"}, "604800000", Kind.LONG),
            new Key("segment.index.bytes", new String[] {"log.index.size.max.bytes"}, "10485760", Kind.INT),
            new Key("index.interval.bytes", new String[] {"log.index.interval.bytes"}, "4096", Kind.INT),
            new Key("flush.messages", new String[] {"log.flush.interval.messages"}, Long.toString(Long.MAX_VALUE),
                    Kind.LONG),
            new Key("flush.ms", new String[] {"log.flush.interval.ms"}, Long.toString(Long.MAX_VALUE), Kind.LONG),
            new Key("max.message.bytes", new String[] {"message.max.bytes"}, "1048588", Kind.INT),
            new Key("message.timestamp.type", new String[] {"log.message.timestamp.type"}, "CreateTime",
                    Kind.TIMESTAMP_TYPE),
            new Key("min.insync.replicas", new String[] {"min.insync.replicas"}, "1", Kind.INT),
            new Key("unclean.leader.election.enable", new String[] {"unclean.leader.election.enable"}, "false",
                    Kind.BOOLEAN),
            new Key("file.delete.delay.ms", new String[] {"log.segment.delete.delay.ms"}, "60000", Kind.LONG),
            // The log cleaner's keys (cleanup.policy=compact), defaulting from log.cleaner.*.
            new Key("delete.retention.ms", new String[] {"log.cleaner.delete.retention.ms"}, "86400000", Kind.LONG),
            new Key("min.cleanable.dirty.ratio", new String[] {"log.cleaner.min.cleanable.ratio"}, "0.5", Kind.RATIO),
            new Key("min.compaction.lag.ms", new String[] {"log.cleaner.min.compaction.lag.ms"}, "0", Kind.LONG),
            new Key("max.compaction.lag.ms", new String[] {"log.cleaner.max.compaction.lag.ms"},
                    Long.toString(Long.MAX_VALUE), Kind.LONG),
            new Key("cairn.storage.engine", new String[] {"cairn.storage.engine"}, "segmented", Kind.TEXT),
            new Key("cairn.partitioner", new String[] {"cairn.partitioner"}, "keyhash", Kind.TEXT),
            new Key("cairn.acks.1.strategy", new String[] {"cairn.acks.1.strategy"}, "leader", Kind.TEXT),
            new Key("cairn.acks.all.strategy", new String[] {"cairn.acks.all.strategy"}, "isr", Kind.TEXT),
            new Key("cairn.flush.on.ack", new String[] {"cairn.flush.on.ack"}, "false", Kind.BOOLEAN));

    private static final Set<String> COMPRESSION = Set.of("producer", "uncompressed", "gzip", "snappy", "lz4", "zstd");

    private TopicConfigs() {
    }

    /** Refuses unknown keys and malformed values. */
    static void validate(Map<String, String> overrides) {
        overrides.forEach((k, v) -> {
            Key key = KEYS.stream().filter(x -> x.name().equals(k)).findFirst()
                    .orElseThrow(() -> new BrokerException(BrokerError.INVALID_CONFIG, "Unknown topic config name: " + k));
            check(key, v);
        });
    }

    private static void check(Key key, String v) {
        String bad = "Invalid value " + v + " for configuration " + key.name();
        try {
            switch (key.kind()) {
                case LONG -> Long.parseLong(v);
                case INT -> {
                    if (Integer.parseInt(v) < 0) {
                        throw new BrokerException(BrokerError.INVALID_CONFIG, bad + ": must be at least 0");
                    }
                }
                case RATIO -> {
                    double d = Double.parseDouble(v);
                    if (!(d >= 0 && d <= 1)) {
                        throw new BrokerException(BrokerError.INVALID_CONFIG, bad + ": Value must be between 0 and 1");
                    }
                }
                case BOOLEAN -> {
                    if (!v.equals("true") && !v.equals("false")) {
                        throw new BrokerException(BrokerError.INVALID_CONFIG, bad + ": must be true or false");
                    }
                }
                case CLEANUP -> {
                    for (String p : v.split(",")) {
                        if (!Set.of("delete", "compact").contains(p.trim())) {
                            throw new BrokerException(BrokerError.INVALID_CONFIG, bad + ": String must be one of: compact, delete");
                        }
                    }
                }
                case COMPRESSION -> {
                    if (!COMPRESSION.contains(v)) {
                        throw new BrokerException(BrokerError.INVALID_CONFIG, bad + ": String must be one of: " + COMPRESSION);
                    }
                }
                case TIMESTAMP_TYPE -> {
                    if (!v.equals("CreateTime") && !v.equals("LogAppendTime")) {
                        throw new BrokerException(BrokerError.INVALID_CONFIG, bad + ": must be CreateTime or LogAppendTime");
                    }
                }
                case TEXT -> {
                    if (v.isBlank()) {
                        throw new BrokerException(BrokerError.INVALID_CONFIG, bad + ": must not be empty");
                    }
                }
                default -> throw new IllegalStateException();
            }
        } catch (NumberFormatException e) {
            throw new BrokerException(BrokerError.INVALID_CONFIG, bad + ": not a number");
        }
    }

    /** Every topic key with its effective value and source. */
    static List<ConfigEntry> describe(Map<String, String> broker, Map<String, String> overrides) {
        List<ConfigEntry> out = new ArrayList<>();
        for (Key key : KEYS) {
            String override = overrides.get(key.name());
            if (override != null) {
                out.add(new ConfigEntry(key.name(), override, ConfigEntry.Source.DYNAMIC_TOPIC_CONFIG, false));
                continue;
            }
            String fromBroker = brokerValue(key, broker);
            out.add(fromBroker != null
                    ? new ConfigEntry(key.name(), fromBroker, ConfigEntry.Source.STATIC_BROKER_CONFIG, false)
                    : new ConfigEntry(key.name(), key.fallback(), ConfigEntry.Source.DEFAULT_CONFIG, false));
        }
        return out;
    }

    /** The effective topic configuration: every key, overrides over broker defaults. */
    static Map<String, String> effective(Map<String, String> broker, Map<String, String> overrides) {
        Map<String, String> out = new LinkedHashMap<>();
        describe(broker, overrides).forEach(e -> out.put(e.name(), e.value()));
        return out;
    }

    /** The broker's value for a topic key, converted to the topic key's unit (hours → ms). */
    private static String brokerValue(Key key, Map<String, String> broker) {
        for (String b : key.brokerKeys()) {
            String v = broker.get(b);
            if (v == null) {
                continue;
            }
            if (b.endsWith(".hours")) {
                return Long.toString(Long.parseLong(v.trim()) * HOUR_MS);
            }
            if (b.endsWith(".minutes")) {
                return Long.toString(Long.parseLong(v.trim()) * 60_000L);
            }
            return v.trim();
        }
        return null;
    }
}
