package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.GroupListing;
import org.apache.kafka.clients.admin.ListGroupsOptions;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.GroupType;
import org.apache.kafka.common.TopicPartition;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Consumer groups of KIP-848 ({@code group.protocol=consumer}: ConsumerGroupHeartbeat, server-side
 * assignors) against the built distribution, with kafka-clients 4.4 consumers: four partitions
 * split 2 + 2 and moved to the survivor when a member closes and when one dies (a child JVM
 * killed with SIGKILL; its session runs out), a restart repeating only the uncommitted tail, the
 * {@code range} assignor's placement on request ({@code group.remote.assignor}), Admin's
 * {@code describeConsumerGroups} and {@code listGroups}, and Kafka's own
 * {@code kafka-consumer-groups --describe}. Every wait is a condition with a deadline.
 *
 * <p>The broker tells members to heartbeat every 500 ms and drops them after 6 s of silence
 * ({@code group.consumer.heartbeat.interval.ms}, {@code group.consumer.session.timeout.ms}), so
 * that a dead member is noticed in seconds rather than Kafka's default 45.
 */
public class ConsumerProtocolGroupsIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    private static final Map<String, String> CONSUMER_PROTOCOL = Map.of(ConsumerConfig.GROUP_PROTOCOL_CONFIG, "consumer");

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Path work;
    private static BrokerProcess broker;
    private static Admin admin;

    @BeforeClass
    public static void startBroker() throws Exception {
        work = tmp.newFolder("work").toPath();
        broker = BrokerProcess.start(work, tmp.newFolder("data").toPath(), BrokerProcess.freePort(),
                "group.consumer.heartbeat.interval.ms=500", "group.consumer.session.timeout.ms=6000");
        broker.awaitListening(Duration.ofSeconds(60));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterClass
    public static void stopBroker() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    public void twoMembersSplitFourPartitionsAndTheSurvivorGetsAllWhenOneClosesOrDies() throws Exception {
        String topic = topic("split", 4);
        try (KafkaConsumer<String, String> survivor = consumer("split", Map.of())) {
            survivor.subscribe(List.of(topic));
            try (KafkaConsumer<String, String> leaving = consumer("split", Map.of())) {
                leaving.subscribe(List.of(topic));
                await(() -> poll(survivor) && poll(leaving) && survivor.assignment().size() == 2
                        && leaving.assignment().size() == 2, "two partitions each");
                Set<TopicPartition> all = new HashSet<>(survivor.assignment());
                all.addAll(leaving.assignment());
                assertEquals(4, all.size());
            }
            // close() left the group (epoch -1): no session timeout to wait for.
            await(() -> poll(survivor) && survivor.assignment().size() == 4, "all four after the leave");

            Process dying = member(topic, "split");
            try {
                await(() -> poll(survivor) && survivor.assignment().size() == 2, "two each with the child JVM");
                assertEquals(2, describe("split").members().size());
                dying.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                // group.consumer.session.timeout.ms: the coordinator removes the silent member.
                await(() -> poll(survivor) && survivor.assignment().size() == 4, "all four after the death");
                assertEquals(1, describe("split").members().size());
            } finally {
                dying.destroyForcibly();
            }
        }
    }

    @Test
    public void aRestartedConsumerRepeatsOnlyTheUncommittedTail() throws Exception {
        String topic = topic("resume", 1);
        produce(topic, 10);
        Map<String, Object> config = Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "1");
        List<Long> firstRun = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer("resume", config)) {
            consumer.subscribe(List.of(topic));
            await(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> {
                    firstRun.add(r.offset());
                    if (r.offset() == 5) {
                        // Processed up to 5: commit 6 (OffsetCommit with the member epoch); 6 and later
                        // are read but never committed.
                        consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(6)));
                    }
                });
                return firstRun.size() >= 8;
            }, "eight records read");
        }
        assertEquals(List.of(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L), firstRun.subList(0, 8));
        List<Long> secondRun = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = consumer("resume", config)) {
            consumer.subscribe(List.of(topic));
            await(() -> {
                consumer.poll(Duration.ofMillis(100)).forEach(r -> secondRun.add(r.offset()));
                return secondRun.size() >= 4;
            }, "the tail read again");
        }
        assertEquals(List.of(6L, 7L, 8L, 9L), secondRun);
    }

    @Test
    public void theRangeAssignorPlacesContiguousCoPartitionedRanges() throws Exception {
        String left = topic("range-left", 4);
        String right = topic("range-right", 4);
        Map<String, Object> range = Map.of(ConsumerConfig.GROUP_REMOTE_ASSIGNOR_CONFIG, "range");
        try (KafkaConsumer<String, String> a = consumer("ranged", range);
                KafkaConsumer<String, String> b = consumer("ranged", range)) {
            a.subscribe(List.of(left, right));
            b.subscribe(List.of(left, right));
            await(() -> poll(a) && poll(b) && a.assignment().size() == 4 && b.assignment().size() == 4,
                    "four partitions each");
            for (KafkaConsumer<String, String> member : List.of(a, b)) {
                Set<Integer> ofLeft = partitions(member.assignment(), left);
                Set<Integer> ofRight = partitions(member.assignment(), right);
                assertTrue(ofLeft.toString(), ofLeft.equals(Set.of(0, 1)) || ofLeft.equals(Set.of(2, 3)));
                assertEquals("co-partitioned", ofLeft, ofRight);
            }
            assertEquals("range", describe("ranged").partitionAssignor());
        }
    }

    @Test
    public void adminDescribesAndListsTheGroupAsAConsumerGroup() throws Exception {
        String topic = topic("described", 4);
        try (KafkaConsumer<String, String> a = consumer("described", Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "client-a"));
                KafkaConsumer<String, String> b = consumer("described", Map.of(ConsumerConfig.CLIENT_ID_CONFIG, "client-b"))) {
            a.subscribe(List.of(topic));
            b.subscribe(List.of(topic));
            await(() -> poll(a) && poll(b) && a.assignment().size() == 2 && b.assignment().size() == 2
                    && describe("described").groupState() == GroupState.STABLE, "stable, two each");
            ConsumerGroupDescription d = describe("described");
            assertEquals(GroupType.CONSUMER, d.type());
            assertEquals("uniform", d.partitionAssignor());
            assertEquals(2, d.members().size());
            Map<String, Set<TopicPartition>> byClient = new HashMap<>();
            for (MemberDescription m : d.members()) {
                byClient.put(m.clientId(), m.assignment().topicPartitions());
                assertTrue(m.host(), m.host().contains("127.0.0.1"));
                assertEquals(m.assignment().topicPartitions(), m.targetAssignment().orElseThrow().topicPartitions());
                assertTrue(m.memberEpoch().orElseThrow() > 0);
            }
            assertEquals(a.assignment(), byClient.get("client-a"));
            assertEquals(b.assignment(), byClient.get("client-b"));

            Map<String, GroupListing> listed = admin.listGroups(ListGroupsOptions.forConsumerGroups()).all()
                    .get(30, TimeUnit.SECONDS).stream().collect(Collectors.toMap(GroupListing::groupId, l -> l));
            assertEquals(GroupType.CONSUMER, listed.get("described").type().orElseThrow());
            assertEquals(GroupState.STABLE, listed.get("described").groupState().orElseThrow());
        }
    }

    @Test
    public void kafkaConsumerGroupsToolDescribesTheGroup() throws Exception {
        String topic = topic("tooled", 2);
        produce(topic, 10);
        try (KafkaConsumer<String, String> member = consumer("tool-consumers", Map.of())) {
            member.subscribe(List.of(topic));
            await(() -> poll(member) && member.assignment().size() == 2, "the member owns both partitions");
            TopicPartition p0 = new TopicPartition(topic, 0);
            TopicPartition p1 = new TopicPartition(topic, 1);
            long end0 = admin.listOffsets(Map.of(p0, org.apache.kafka.clients.admin.OffsetSpec.latest())).all()
                    .get(30, TimeUnit.SECONDS).get(p0).offset();
            long end1 = admin.listOffsets(Map.of(p1, org.apache.kafka.clients.admin.OffsetSpec.latest())).all()
                    .get(30, TimeUnit.SECONDS).get(p1).offset();
            member.commitSync(Map.of(p0, new OffsetAndMetadata(1), p1, new OffsetAndMetadata(end1)));

            String list = tool("--list");
            assertTrue(list, list.lines().map(String::trim).toList().contains("tool-consumers"));
            String describe = tool("--describe", "--group", "tool-consumers");
            // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
            List<String> row0 = KafkaTool.row(describe, "tool-consumers", topic, 0);
            List<String> row1 = KafkaTool.row(describe, "tool-consumers", topic, 1);
            assertEquals(describe, List.of("1", Long.toString(end0), Long.toString(end0 - 1)), row0.subList(3, 6));
            assertEquals(describe, List.of(Long.toString(end1), Long.toString(end1), "0"), row1.subList(3, 6));
            String memberId = describe("tool-consumers").members().iterator().next().consumerId();
            assertEquals(describe, memberId, row0.get(6));
            String state = tool("--describe", "--group", "tool-consumers", "--state");
            assertTrue(state, state.contains("Stable") && state.contains("uniform"));
        }
    }

    // ---- a group member in its own JVM, to be killed ----

    /** A consumer-protocol member in a child JVM that subscribes and polls until killed. */
    private static Process member(String topic, String group) throws IOException {
        return GroupMemberProcess.start(work, broker.bootstrap(), group, topic, CONSUMER_PROTOCOL);
    }

    // ---- Kafka's kafka-consumer-groups, as KafkaConsumerGroupsToolIT runs it ----

    private static String tool(String... args) throws IOException, InterruptedException {
        KafkaTool.Output output = KafkaTool.consumerGroups(work, broker.bootstrap(), args);
        if (output.out().startsWith("Error:")) {
            throw new AssertionError(output.all());
        }
        return output.out();
    }

    // ---- helpers ----

    private static ConsumerGroupDescription describe(String group) {
        try {
            return admin.describeConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS).get(group);
        } catch (Exception e) {
            throw new AssertionError("describeConsumerGroups " + group, e);
        }
    }

    private static Set<Integer> partitions(Set<TopicPartition> assignment, String topic) {
        return assignment.stream().filter(tp -> tp.topic().equals(topic)).map(TopicPartition::partition)
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private static String topic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        return name;
    }

    private static void produce(String topic, int count) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    /** A consumer of the KIP-848 protocol; session and heartbeat settings are the broker's, not the client's. */
    private static KafkaConsumer<String, String> consumer(String group, Map<String, Object> overrides) {
        Map<String, Object> all = new HashMap<>(CONSUMER_PROTOCOL);
        all.putAll(overrides);
        return Clients.consumer(broker.bootstrap(), group, all);
    }

    /** Polls once briefly; always true, so that it can lead a condition. */
    private static boolean poll(KafkaConsumer<String, String> consumer) {
        consumer.poll(Duration.ofMillis(50));
        return true;
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue("timed out waiting for " + what, System.nanoTime() < deadline);
        }
    }
}
