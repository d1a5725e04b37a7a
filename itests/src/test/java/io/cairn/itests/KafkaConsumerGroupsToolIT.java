package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Apache Kafka's own {@code kafka-consumer-groups} tool ({@code ConsumerGroupCommand} from
 * {@code org.apache.kafka:kafka-tools} 4.3.1, the newest release on the reachable Maven Central)
 * against the built distribution: it lists a group, describes it with current offset, log-end
 * offset and lag per partition, and resets its offsets to the earliest, after which a consumer of
 * the group reads from the start. The tool runs in a child JVM on the jars the build copies to
 * {@code target/kafka-tools}, as an operator runs {@code bin/kafka-consumer-groups.sh}.
 *
 * <p>The tool exits 0 even when a command fails (it prints "Error: ..."), so every check is on
 * what it printed.
 */
public class KafkaConsumerGroupsToolIT {

    private static final Duration WAIT = Duration.ofSeconds(45);

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Path work;
    private static BrokerProcess broker;
    private static Admin admin;

    @BeforeClass
    public static void startBroker() throws Exception {
        work = tmp.newFolder("work").toPath();
        broker = BrokerProcess.start(work, tmp.newFolder("data").toPath(), BrokerProcess.freePort(),
                "group.initial.rebalance.delay.ms=0");
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
    public void listDescribeWithLagAndResetToEarliest() throws Exception {
        String topic = "tool-topic";
        String group = "tool-group";
        admin.createTopics(List.of(new NewTopic(topic, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        produce(topic, 0, 10);
        produce(topic, 1, 6);

        try (KafkaConsumer<String, String> member = consumer(group)) {
            member.subscribe(List.of(topic));
            await(() -> {
                member.poll(Duration.ofMillis(100));
                return member.assignment().size() == 2;
            }, "the member owns both partitions");
            // Processed 4 of partition 0's 10 records and all 6 of partition 1's.
            member.commitSync(Map.of(p0, new OffsetAndMetadata(4), p1, new OffsetAndMetadata(6)));

            String list = tool("--list");
            assertTrue(list, lines(list).contains(group));

            String describe = tool("--describe", "--group", group);
            // GROUP TOPIC PARTITION CURRENT-OFFSET LOG-END-OFFSET LAG CONSUMER-ID HOST CLIENT-ID
            List<String> row0 = KafkaTool.row(describe, group, topic, 0);
            List<String> row1 = KafkaTool.row(describe, group, topic, 1);
            assertEquals(describe, List.of("4", "10", "6"), row0.subList(3, 6));
            assertEquals(describe, List.of("6", "6", "0"), row1.subList(3, 6));
            assertTrue(describe, row0.size() >= 9 && row0.get(6).startsWith("consumer-tool-group"));
            assertEquals(describe, row0.get(6), row1.get(6));

            // Resetting needs an inactive group: the tool refuses while the member is there.
            String refused = tool("--reset-offsets", "--to-earliest", "--execute", "--group", group, "--topic", topic);
            assertTrue(refused, refused.contains("inactive"));
        }
        // close() sent LeaveGroup: the group is empty now.
        String reset = tool("--reset-offsets", "--to-earliest", "--execute", "--group", group, "--topic", topic);
        // GROUP TOPIC PARTITION NEW-OFFSET
        assertEquals(reset, "0", KafkaTool.row(reset, group, topic, 0).get(3));
        assertEquals(reset, "0", KafkaTool.row(reset, group, topic, 1).get(3));
        Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        assertEquals(0, committed.get(p0).offset());
        assertEquals(0, committed.get(p1).offset());

        String describeEmpty = tool("--describe", "--group", group);
        // No member now: the consumer id column is "-".
        assertEquals(describeEmpty, List.of("0", "10", "10", "-"), KafkaTool.row(describeEmpty, group, topic, 0).subList(3, 7));
        assertEquals(describeEmpty, List.of("0", "6", "6", "-"), KafkaTool.row(describeEmpty, group, topic, 1).subList(3, 7));

        // A member of the group now reads everything from the start ("latest" would read nothing).
        Map<TopicPartition, List<Long>> read = new HashMap<>();
        try (KafkaConsumer<String, String> again = consumer(group, Map.of(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG,
                "latest"))) {
            again.subscribe(List.of(topic));
            await(() -> {
                for (ConsumerRecord<String, String> r : again.poll(Duration.ofMillis(100))) {
                    read.computeIfAbsent(new TopicPartition(r.topic(), r.partition()), k -> new ArrayList<>())
                            .add(r.offset());
                }
                return read.values().stream().mapToInt(List::size).sum() >= 16;
            }, "all 16 records again");
        }
        assertEquals(0L, (long) read.get(p0).get(0));
        assertEquals(0L, (long) read.get(p1).get(0));
        assertEquals(10, read.get(p0).size());
        assertEquals(6, read.get(p1).size());
    }

    // ---- the tool ----

    /** Runs ConsumerGroupCommand with these arguments; returns its standard output. */
    private static String tool(String... args) throws IOException, InterruptedException {
        KafkaTool.Output output = KafkaTool.consumerGroups(work, broker.bootstrap(), args);
        // Failures print "Error: ..." and still exit 0; a refusal to reset is checked by the caller.
        if (output.out().startsWith("Error:") && !Arrays.asList(args).contains("--reset-offsets")) {
            throw new AssertionError(output.all());
        }
        return output.out();
    }

    private static List<String> lines(String out) {
        return out.lines().map(String::trim).toList();
    }

    // ---- helpers ----

    private static void produce(String topic, int partition, int count) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, partition, "k" + i, "v" + i)).get(30, TimeUnit.SECONDS);
            }
        }
    }

    private static KafkaConsumer<String, String> consumer(String group) {
        return consumer(group, Map.of());
    }

    private static KafkaConsumer<String, String> consumer(String group, Map<String, Object> overrides) {
        Map<String, Object> all = new HashMap<>(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "10000",
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500"));
        all.putAll(overrides);
        return Clients.consumer(broker.bootstrap(), group, all);
    }

    private static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            assertTrue("timed out waiting for " + what, System.nanoTime() < deadline);
        }
    }
}
