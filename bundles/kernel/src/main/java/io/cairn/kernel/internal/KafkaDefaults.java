package io.cairn.kernel.internal;

import java.util.Map;

/**
 * Kafka's defaults for the broker keys Cairn reads, so that a {@code server.properties} written for
 * Kafka means the same here. Values are those of Apache Kafka 3.x/4.x's {@code KafkaConfig}, except
 * {@code log.dirs}, which defaults to {@code <cairn.home>/data} (see {@link KafkaBrokerConfig}).
 */
final class KafkaDefaults {

    static final Map<String, String> VALUES = Map.ofEntries(
            Map.entry("broker.id", "0"),
            Map.entry("listeners", "PLAINTEXT://:9092"),
            Map.entry("listener.security.protocol.map",
                    "PLAINTEXT:PLAINTEXT,SSL:SSL,SASL_PLAINTEXT:SASL_PLAINTEXT,SASL_SSL:SASL_SSL"),
            Map.entry("num.partitions", "1"),
            Map.entry("default.replication.factor", "1"),
            Map.entry("auto.create.topics.enable", "true"),
            Map.entry("log.retention.hours", "168"),
            Map.entry("log.retention.bytes", "-1"),
            Map.entry("log.retention.check.interval.ms", "300000"),
            Map.entry("log.segment.bytes", "1073741824"),
            Map.entry("log.roll.hours", "168"),
            Map.entry("log.index.interval.bytes", "4096"),
            // 1 MiB plus the 12 bytes of a batch's offset and length fields: Kafka's own default.
            Map.entry("message.max.bytes", "1048588"),
            // 100 MiB: Kafka's default upper bound on one request frame.
            Map.entry("socket.request.max.bytes", "104857600"),
            Map.entry("min.insync.replicas", "1"),
            // The group coordinator's keys (it reads them itself; listed so DescribeConfigs shows them).
            Map.entry("group.initial.rebalance.delay.ms", "3000"),
            Map.entry("group.min.session.timeout.ms", "6000"),
            Map.entry("group.max.session.timeout.ms", "1800000"),
            Map.entry("group.max.size", "2147483647"),
            Map.entry("group.consumer.heartbeat.interval.ms", "5000"),
            Map.entry("group.consumer.session.timeout.ms", "45000"),
            Map.entry("group.consumer.assignors", "uniform,range"),
            Map.entry("group.consumer.max.size", "2147483647"),
            Map.entry("offset.metadata.max.bytes", "4096"),
            Map.entry("offsets.retention.minutes", "10080"),
            Map.entry("offsets.retention.check.interval.ms", "600000"),
            Map.entry("offsets.topic.num.partitions", "50"),
            Map.entry("offsets.topic.replication.factor", "3"),
            Map.entry("cairn.storage.engine", "segmented"),
            Map.entry("cairn.partitioner", "keyhash"),
            Map.entry("cairn.offsets.store", "file"),
            Map.entry("cairn.replication", "isr"),
            Map.entry("cairn.plugin.wait.ms", "10000"));

    private KafkaDefaults() {
    }
}
