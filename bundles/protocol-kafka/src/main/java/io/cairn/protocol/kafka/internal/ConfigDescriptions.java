package io.cairn.protocol.kafka.internal;

import java.lang.reflect.Field;
import java.lang.reflect.Modifier;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigType;

import io.cairn.broker.spi.cluster.ConfigEntry;

/**
 * What DescribeConfigs and CreateTopics (v5+) tell about a configuration entry beyond its value:
 * Kafka's source id, whether it is sensitive (hidden, as Kafka hides passwords), its type (v3+)
 * and documentation (v3+), the latter two for Kafka's topic keys from kafka-clients'
 * {@link TopicConfig}. Keys Cairn adds ({@code cairn.*}) and broker keys have type
 * {@code UNKNOWN} and no documentation.
 *
 * <p>Thread-safety: immutable tables.
 */
final class ConfigDescriptions {

    /** Kafka's topic keys of type list; APPEND and SUBTRACT apply only to these. */
    static final Set<String> LIST_KEYS = Set.of(TopicConfig.CLEANUP_POLICY_CONFIG,
            "leader.replication.throttled.replicas", "follower.replication.throttled.replicas");

    private static final Map<String, ConfigType> TYPES = new HashMap<>();
    private static final Map<String, String> DOCS = documentation();

    static {
        for (String key : new String[] {TopicConfig.SEGMENT_BYTES_CONFIG, TopicConfig.SEGMENT_INDEX_BYTES_CONFIG,
                TopicConfig.MAX_MESSAGE_BYTES_CONFIG, TopicConfig.INDEX_INTERVAL_BYTES_CONFIG,
                TopicConfig.MIN_IN_SYNC_REPLICAS_CONFIG, TopicConfig.COMPRESSION_GZIP_LEVEL_CONFIG,
                TopicConfig.COMPRESSION_LZ4_LEVEL_CONFIG, TopicConfig.COMPRESSION_ZSTD_LEVEL_CONFIG}) {
            TYPES.put(key, ConfigType.INT);
        }
        for (String key : new String[] {TopicConfig.SEGMENT_MS_CONFIG, TopicConfig.SEGMENT_JITTER_MS_CONFIG,
                TopicConfig.FLUSH_MESSAGES_INTERVAL_CONFIG, TopicConfig.FLUSH_MS_CONFIG,
                TopicConfig.RETENTION_BYTES_CONFIG, TopicConfig.RETENTION_MS_CONFIG,
                TopicConfig.FILE_DELETE_DELAY_MS_CONFIG, TopicConfig.DELETE_RETENTION_MS_CONFIG,
                TopicConfig.MIN_COMPACTION_LAG_MS_CONFIG, TopicConfig.MAX_COMPACTION_LAG_MS_CONFIG,
                TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG,
                TopicConfig.LOCAL_LOG_RETENTION_MS_CONFIG, TopicConfig.LOCAL_LOG_RETENTION_BYTES_CONFIG}) {
            TYPES.put(key, ConfigType.LONG);
        }
        for (String key : new String[] {TopicConfig.UNCLEAN_LEADER_ELECTION_ENABLE_CONFIG,
                TopicConfig.PREALLOCATE_CONFIG, TopicConfig.REMOTE_LOG_STORAGE_ENABLE_CONFIG}) {
            TYPES.put(key, ConfigType.BOOLEAN);
        }
        TYPES.put(TopicConfig.MIN_CLEANABLE_DIRTY_RATIO_CONFIG, ConfigType.DOUBLE);
        TYPES.put(TopicConfig.COMPRESSION_TYPE_CONFIG, ConfigType.STRING);
        TYPES.put(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG, ConfigType.STRING);
        LIST_KEYS.forEach(key -> TYPES.put(key, ConfigType.LIST));
    }

    private ConfigDescriptions() {
    }

    /** Kafka's id for where a value comes from. */
    static byte source(ConfigEntry.Source source) {
        return switch (source) {
            case DYNAMIC_TOPIC_CONFIG -> ConfigSource.TOPIC_CONFIG.id();
            case DYNAMIC_BROKER_CONFIG -> ConfigSource.DYNAMIC_BROKER_CONFIG.id();
            case STATIC_BROKER_CONFIG -> ConfigSource.STATIC_BROKER_CONFIG.id();
            case DEFAULT_CONFIG -> ConfigSource.DEFAULT_CONFIG.id();
        };
    }

    /** Whether the value must not be shown: Kafka's password-typed keys. */
    static boolean sensitive(String key) {
        String lower = key.toLowerCase(Locale.ROOT);
        return lower.contains("password") || lower.endsWith(".jaas.config") || lower.contains("secret");
    }

    /** Kafka's type id of a key, {@code UNKNOWN} if not a known topic key. */
    static byte type(String key) {
        return TYPES.getOrDefault(key, ConfigType.UNKNOWN).id();
    }

    /** kafka-clients' documentation of a topic key, or {@code null}. */
    static String documentation(String key) {
        return DOCS.get(key);
    }

    /** {@code X_CONFIG} name → {@code X_DOC} text, from {@link TopicConfig}'s constants. */
    private static Map<String, String> documentation() {
        Map<String, String> docs = new HashMap<>();
        for (Field field : TopicConfig.class.getFields()) {
            if (Modifier.isStatic(field.getModifiers()) && field.getType() == String.class
                    && field.getName().endsWith("_CONFIG")) {
                try {
                    Field doc = TopicConfig.class.getField(field.getName().replaceFirst("_CONFIG$", "_DOC"));
                    docs.put((String) field.get(null), (String) doc.get(null));
                } catch (NoSuchFieldException | IllegalAccessException e) {
                    // a key without documentation
                }
            }
        }
        return Map.copyOf(docs);
    }
}
