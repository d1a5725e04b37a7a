package io.cairn.protocol.kafka.internal;

import java.util.Locale;
import java.util.Map;

import org.apache.kafka.common.compress.Compression;
import org.apache.kafka.common.config.TopicConfig;
import org.apache.kafka.common.record.TimestampType;
import org.apache.kafka.common.record.internal.CompressionType;

/**
 * What a topic's configuration asks of each produced batch, read from the partition's effective
 * configuration ({@code PartitionReplica.config()}, Kafka's topic keys):
 *
 * @param maxMessageBytes {@code max.message.bytes}, else the broker's {@code message.max.bytes}
 * @param compacted whether {@code cleanup.policy} contains {@code compact}: records need keys
 * @param targetCompression {@code compression.type} as a codec to store batches in, or
 *     {@code null} for {@code producer} (store as sent)
 * @param compression the codec with the topic's {@code compression.<codec>.level}, if any
 * @param timestampType {@code message.timestamp.type}
 * @param timestampBeforeMaxMs {@code message.timestamp.before.max.ms} if set, else unbounded
 * @param timestampAfterMaxMs {@code message.timestamp.after.max.ms} if set, else unbounded
 */
record TopicRules(int maxMessageBytes, boolean compacted, CompressionType targetCompression, Compression compression,
        TimestampType timestampType, long timestampBeforeMaxMs, long timestampAfterMaxMs) {

    /** The rules of a topic with effective configuration {@code config}. */
    static TopicRules of(Map<String, String> config, int brokerMessageMaxBytes) {
        String policy = config.getOrDefault(TopicConfig.CLEANUP_POLICY_CONFIG, TopicConfig.CLEANUP_POLICY_DELETE);
        CompressionType target = targetCompression(config.get(TopicConfig.COMPRESSION_TYPE_CONFIG));
        return new TopicRules(
                (int) number(config, TopicConfig.MAX_MESSAGE_BYTES_CONFIG, brokerMessageMaxBytes),
                policy.contains(TopicConfig.CLEANUP_POLICY_COMPACT),
                target,
                target == null ? null : compression(target, config),
                "LogAppendTime".equalsIgnoreCase(config.get(TopicConfig.MESSAGE_TIMESTAMP_TYPE_CONFIG))
                        ? TimestampType.LOG_APPEND_TIME : TimestampType.CREATE_TIME,
                number(config, TopicConfig.MESSAGE_TIMESTAMP_BEFORE_MAX_MS_CONFIG, Long.MAX_VALUE),
                number(config, TopicConfig.MESSAGE_TIMESTAMP_AFTER_MAX_MS_CONFIG, Long.MAX_VALUE));
    }

    private static CompressionType targetCompression(String value) {
        if (value == null || value.isBlank() || value.trim().equalsIgnoreCase("producer")) {
            return null;
        }
        String codec = value.trim().toLowerCase(Locale.ROOT);
        return codec.equals("uncompressed") ? CompressionType.NONE : CompressionType.forName(codec);
    }

    private static Compression compression(CompressionType type, Map<String, String> config) {
        return switch (type) {
            case NONE -> Compression.NONE;
            case GZIP -> level(config, TopicConfig.COMPRESSION_GZIP_LEVEL_CONFIG) == null ? Compression.gzip().build()
                    : Compression.gzip().level(level(config, TopicConfig.COMPRESSION_GZIP_LEVEL_CONFIG)).build();
            case SNAPPY -> Compression.snappy().build();
            case LZ4 -> level(config, TopicConfig.COMPRESSION_LZ4_LEVEL_CONFIG) == null ? Compression.lz4().build()
                    : Compression.lz4().level(level(config, TopicConfig.COMPRESSION_LZ4_LEVEL_CONFIG)).build();
            case ZSTD -> level(config, TopicConfig.COMPRESSION_ZSTD_LEVEL_CONFIG) == null ? Compression.zstd().build()
                    : Compression.zstd().level(level(config, TopicConfig.COMPRESSION_ZSTD_LEVEL_CONFIG)).build();
        };
    }

    private static Integer level(Map<String, String> config, String key) {
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            return null;
        }
        try {
            return Integer.valueOf(value.trim());
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static long number(Map<String, String> config, String key, long fallback) {
        String value = config.get(key);
        if (value == null || value.isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return fallback;
        }
    }
}
