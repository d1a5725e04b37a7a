package io.cairn.itests;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewPartitions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.RecordsToDelete;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * A client program run by {@link KafkaClients39IT} in a child JVM whose classpath holds
 * kafka-clients 3.9 (it is compiled against 4.4 with the rest of the tests and uses only API that
 * both releases have). It produces and consumes every codec with headers, timestamps, null and
 * empty keys and values, runs the admin calls of issue 4 and a consumer group (two members
 * splitting four partitions, a rebalance when one leaves, resuming from committed offsets,
 * auto-commit, static membership); it prints what it checked and exits
 * 0, or prints the first difference and exits 1.
 *
 * <p>Usage: {@code Kafka39Client <bootstrap> <topic prefix>}.
 */
public final class Kafka39Client {

    private static final String[][] KEYS_AND_VALUES = {{"k", "v"}, {null, null}, {"", ""}, {null, "value"},
        {"key", null}};

    private Kafka39Client() {
    }

    public static void main(String[] args) throws Exception {
        String bootstrap = args[0];
        String prefix = args[1];
        // The jar this JVM loaded kafka-clients from, e.g. kafka-clients-3.9.0.jar (where the
        // version class lives differs between 3.9 and 4.4).
        System.out.println("kafka-clients from " + KafkaProducer.class.getProtectionDomain().getCodeSource()
                .getLocation());
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000))) {
            System.out.println("cluster " + admin.describeCluster().clusterId().get(30, TimeUnit.SECONDS));
            for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
                String topic = prefix + "-" + codec;
                admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
                produce(bootstrap, topic, codec);
                consume(bootstrap, topic);
                System.out.println("codec " + codec + " ok");
            }
            administer(admin, prefix + "-admin", bootstrap);
            groups(admin, prefix + "-groups", bootstrap);
        }
        System.out.println("ALL OK");
    }

    private static void produce(String bootstrap, String topic, String codec) throws Exception {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.LINGER_MS_CONFIG, "10");
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < 100; i++) {
                String[] kv = KEYS_AND_VALUES[i % KEYS_AND_VALUES.length];
                producer.send(new ProducerRecord<>(topic, 0, 1_600_000_000_000L + i, bytes(kv[0]), bytes(kv[1]),
                        List.of(new RecordHeader("i", bytes(String.valueOf(i))))));
            }
            producer.flush();
        }
    }

    private static void consume(String bootstrap, String topic) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        TopicPartition partition = new TopicPartition(topic, 0);
        List<ConsumerRecord<byte[], byte[]>> records = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(props)) {
            consumer.assign(List.of(partition));
            consumer.seekToBeginning(List.of(partition));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (records.size() < 100 && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).records(partition).forEach(records::add);
            }
        }
        check(records.size() == 100, topic + ": read " + records.size() + " of 100");
        for (int i = 0; i < 100; i++) {
            ConsumerRecord<byte[], byte[]> record = records.get(i);
            String[] kv = KEYS_AND_VALUES[i % KEYS_AND_VALUES.length];
            check(record.offset() == i, topic + ": offset " + record.offset() + " at " + i);
            check(Objects.equals(kv[0], text(record.key())), topic + ": key " + i);
            check(Objects.equals(kv[1], text(record.value())), topic + ": value " + i);
            check(record.timestamp() == 1_600_000_000_000L + i, topic + ": timestamp " + i);
            check(String.valueOf(i).equals(text(record.headers().lastHeader("i").value())), topic + ": header " + i);
        }
    }

    private static void administer(Admin admin, String topic, String bootstrap) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        produce(bootstrap, topic, "none");
        TopicPartition p = new TopicPartition(topic, 0);
        long latest = admin.listOffsets(Map.of(p, OffsetSpec.latest())).partitionResult(p).get(30, TimeUnit.SECONDS)
                .offset();
        check(latest == 100, "latest offset " + latest);
        long byTime = admin.listOffsets(Map.of(p, OffsetSpec.forTimestamp(1_600_000_000_000L + 42))).partitionResult(p)
                .get(30, TimeUnit.SECONDS).offset();
        check(byTime == 42, "offset for timestamp " + byTime);
        long low = admin.deleteRecords(Map.of(p, RecordsToDelete.beforeOffset(10))).lowWatermarks().get(p)
                .get(30, TimeUnit.SECONDS).lowWatermark();
        check(low == 10, "low watermark " + low);
        long earliest = admin.listOffsets(Map.of(p, OffsetSpec.earliest())).partitionResult(p)
                .get(30, TimeUnit.SECONDS).offset();
        check(earliest == 10, "earliest offset " + earliest);
        ConfigResource resource = new ConfigResource(ConfigResource.Type.TOPIC, topic);
        admin.incrementalAlterConfigs(Map.of(resource, List.of(new AlterConfigOp(
                new ConfigEntry("retention.ms", "7200000"), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        String retention = admin.describeConfigs(List.of(resource)).all().get(30, TimeUnit.SECONDS).get(resource)
                .get("retention.ms").value();
        check("7200000".equals(retention), "retention.ms " + retention);
        admin.createPartitions(Map.of(topic, NewPartitions.increaseTo(3))).all().get(30, TimeUnit.SECONDS);
        int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get(30, TimeUnit.SECONDS).get(topic)
                .partitions().size();
        check(partitions == 3, "partitions " + partitions);
        admin.deleteTopics(List.of(topic)).all().get(30, TimeUnit.SECONDS);
        check(!admin.listTopics().names().get(30, TimeUnit.SECONDS).contains(topic), "topic deleted");
        System.out.println("admin ok");
    }

    /**
     * The classic group protocol as 3.9 speaks it: two members split four partitions 2 + 2; when
     * one leaves the other owns all four; a new member resumes at the committed offsets, so only
     * records after the last commit are read again; auto-commit commits what was consumed; a static
     * member ({@code group.instance.id}) shows up in the group's description.
     */
    private static void groups(Admin admin, String topic, String bootstrap) throws Exception {
        admin.createTopics(List.of(new NewTopic(topic, 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(props)) {
            for (int i = 0; i < 400; i++) {
                producer.send(new ProducerRecord<>(topic, i % 4, null, bytes("v" + i)));
            }
            producer.flush();
        }
        String group = topic + "-g";
        try (KafkaConsumer<byte[], byte[]> a = member(bootstrap, group, Map.of());
                KafkaConsumer<byte[], byte[]> b = member(bootstrap, group, Map.of())) {
            a.subscribe(List.of(topic));
            b.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while ((a.assignment().size() != 2 || b.assignment().size() != 2) && System.nanoTime() < deadline) {
                a.poll(Duration.ofMillis(100));
                b.poll(Duration.ofMillis(100));
            }
            check(a.assignment().size() == 2 && b.assignment().size() == 2,
                    "split 2 + 2, was " + a.assignment() + " and " + b.assignment());
            b.close();
            while (a.assignment().size() != 4 && System.nanoTime() < deadline) {
                a.poll(Duration.ofMillis(100));
            }
            check(a.assignment().size() == 4, "after a member left the other owns 4, was " + a.assignment());
            // Commit 50 per partition, as if the rest were not processed yet.
            Map<TopicPartition, OffsetAndMetadata> commit = new HashMap<>();
            for (int p = 0; p < 4; p++) {
                commit.put(new TopicPartition(topic, p), new OffsetAndMetadata(50, "m"));
            }
            a.commitSync(commit);
        }
        Map<TopicPartition, OffsetAndMetadata> committed = admin
                .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        check(committed.size() == 4 && committed.values().stream().allMatch(o -> o.offset() == 50
                && "m".equals(o.metadata())), "committed " + committed);
        // A new member resumes at 50: it reads exactly the 50 uncommitted records of each partition,
        // with auto-commit on, which then commits the end.
        try (KafkaConsumer<byte[], byte[]> c = member(bootstrap, group, Map.of(
                ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true", ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, "100",
                ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, "static-1"))) {
            c.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            List<ConsumerRecord<byte[], byte[]>> again = new ArrayList<>();
            while (again.size() < 200 && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(100)).forEach(again::add);
            }
            check(again.size() == 200 && again.stream().allMatch(r -> r.offset() >= 50),
                    "resumed at the committed offsets: read " + again.size());
            var description = admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
            check(description.members().size() == 1 && description.members().iterator().next().groupInstanceId()
                    .equals(Optional.of("static-1")), "static member in " + description);
            while (System.nanoTime() < deadline) {
                Map<TopicPartition, OffsetAndMetadata> now = admin
                        .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                if (now.values().stream().allMatch(o -> o.offset() == 100)) {
                    break;
                }
                c.poll(Duration.ofMillis(100));
            }
        }
        Map<TopicPartition, OffsetAndMetadata> end = admin
                .listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        check(end.size() == 4 && end.values().stream().allMatch(o -> o.offset() == 100), "auto-committed " + end);
        System.out.println("groups ok");
    }

    private static KafkaConsumer<byte[], byte[]> member(String bootstrap, String group, Map<String, String> extra) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putAll(extra);
        return new KafkaConsumer<>(props);
    }

    private static void check(boolean condition, String what) {
        if (!condition) {
            System.out.println("MISMATCH " + what);
            System.exit(1);
        }
    }

    private static byte[] bytes(String s) {
        return s == null ? null : s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] b) {
        return b == null ? null : new String(b, StandardCharsets.UTF_8);
    }
}
