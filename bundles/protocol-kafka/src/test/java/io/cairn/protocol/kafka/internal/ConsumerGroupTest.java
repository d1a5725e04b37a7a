package io.cairn.protocol.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import io.cairn.broker.spi.cluster.NewTopic;

/**
 * kafka-clients 4.4 consumers in groups, against the listener over the real group coordinator:
 * partitions split between members, committed offsets resumed, auto-commit. Waits are bounded
 * polls on a condition, never fixed sleeps.
 */
class ConsumerGroupTest {

    private static final String TOPIC = "events";
    private static final Duration WAIT = Duration.ofSeconds(30);

    @RegisterExtension
    final ProtocolServer server = new ProtocolServer(TestBroker.singleNode()).withGroupCoordinator();

    @Test
    void twoConsumersOfOneGroupSplitFourPartitions() {
        topic(4);
        Map<String, Object> config = Map.of(ConsumerConfig.GROUP_ID_CONFIG, "split",
                ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000", ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500");
        try (KafkaConsumer<byte[], byte[]> first = Clients.consumer(server, config);
                KafkaConsumer<byte[], byte[]> second = Clients.consumer(server, config)) {
            first.subscribe(List.of(TOPIC));
            second.subscribe(List.of(TOPIC));

            await(() -> {
                first.poll(Duration.ofMillis(100));
                second.poll(Duration.ofMillis(100));
                return first.assignment().size() == 2 && second.assignment().size() == 2;
            }, "each of two members owns two partitions");
            Set<TopicPartition> all = new HashSet<>(first.assignment());
            all.addAll(second.assignment());
            assertEquals(4, all.size(), "every partition assigned once");
        }
    }

    @Test
    void aRestartedConsumerResumesAfterItsCommittedOffset() {
        topic(1);
        produce(0, 10);
        Map<String, Object> config = Map.of(ConsumerConfig.GROUP_ID_CONFIG, "resume",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "4");
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(server, config)) {
            consumer.subscribe(List.of(TOPIC));
            List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            await(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
                return read.size() >= 4;
            }, "first records read");
            consumer.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(6, "six")));
        }
        try (KafkaConsumer<byte[], byte[]> restarted = Clients.consumer(server, config)) {
            restarted.subscribe(List.of(TOPIC));
            List<Long> offsets = new ArrayList<>();
            await(() -> {
                restarted.poll(Duration.ofMillis(100)).forEach(r -> offsets.add(r.offset()));
                return offsets.size() >= 4;
            }, "the rest read");
            assertEquals(List.of(6L, 7L, 8L, 9L), offsets);
            OffsetAndMetadata committed = restarted.committed(Set.of(new TopicPartition(TOPIC, 0)))
                    .get(new TopicPartition(TOPIC, 0));
            assertEquals("six", committed.metadata());
        }
    }

    @Test
    void autoCommitStoresWhatWasConsumed() {
        topic(1);
        produce(0, 5);
        Map<String, Object> config = Map.of(ConsumerConfig.GROUP_ID_CONFIG, "auto",
                ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest", ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "true",
                ConsumerConfig.AUTO_COMMIT_INTERVAL_MS_CONFIG, "100");
        TopicPartition partition = new TopicPartition(TOPIC, 0);
        try (KafkaConsumer<byte[], byte[]> consumer = Clients.consumer(server, config)) {
            consumer.subscribe(List.of(TOPIC));
            List<ConsumerRecord<byte[], byte[]>> read = new ArrayList<>();
            await(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(read::add);
                OffsetAndMetadata committed = consumer.committed(Set.of(partition)).get(partition);
                return read.size() == 5 && committed != null && committed.offset() == 5;
            }, "offset 5 committed by the consumer on its own");
        }
    }

    @Test
    void consumerProtocolMembersSplitPartitionsAndResumeFromTheirCommits() throws Exception {
        topic(4);
        for (int p = 0; p < 4; p++) {
            produce(p, 3);
        }
        Map<String, Object> config = Map.of(ConsumerConfig.GROUP_ID_CONFIG, "kip848",
                ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer", ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        try (KafkaConsumer<byte[], byte[]> first = Clients.consumer(server, config);
                KafkaConsumer<byte[], byte[]> second = Clients.consumer(server, config)) {
            first.subscribe(List.of(TOPIC));
            second.subscribe(List.of(TOPIC));
            await(() -> {
                first.poll(Duration.ofMillis(100));
                second.poll(Duration.ofMillis(100));
                return first.assignment().size() == 2 && second.assignment().size() == 2;
            }, "each of two consumer-protocol members owns two partitions");
            Set<TopicPartition> all = new HashSet<>(first.assignment());
            all.addAll(second.assignment());
            assertEquals(4, all.size(), "every partition assigned once");
            first.commitSync(Map.of(new TopicPartition(TOPIC, 0), new OffsetAndMetadata(2)));
            try (org.apache.kafka.clients.admin.Admin admin = Clients.admin(server)) {
                org.apache.kafka.clients.admin.ConsumerGroupDescription d = admin.describeConsumerGroups(
                        List.of("kip848")).all().get().get("kip848");
                assertEquals(org.apache.kafka.common.GroupType.CONSUMER, d.type());
                assertEquals(2, d.members().size());
                assertEquals(org.apache.kafka.common.GroupState.STABLE, d.groupState());
            }
        }
        try (KafkaConsumer<byte[], byte[]> restarted = Clients.consumer(server, config)) {
            restarted.subscribe(List.of(TOPIC));
            List<Long> fromZero = new ArrayList<>();
            await(() -> {
                restarted.poll(Duration.ofMillis(100)).forEach(r -> {
                    if (r.partition() == 0) {
                        fromZero.add(r.offset());
                    }
                });
                return fromZero.size() >= 1 && restarted.assignment().size() == 4;
            }, "the restarted member owns all four partitions and reads partition 0");
            assertEquals(2L, fromZero.get(0), "partition 0 resumes at the committed offset");
        }
    }

    private void topic(int partitions) {
        server.broker().createTopic(new NewTopic(TOPIC, partitions, (short) 1, Map.of(), Map.of()), false);
    }

    private void produce(int partition, int count) {
        try (KafkaProducer<byte[], byte[]> producer = Clients.producer(server, Map.of())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(TOPIC, partition, null, ("r" + i).getBytes()));
            }
            producer.flush();
        }
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue(System.nanoTime() < deadline, "timed out waiting until " + what);
        }
    }
}
