package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.CooperativeStickyAssignor;
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
 * Consumer groups against the built distribution (the default feature: group coordinator and the
 * file offset store), with kafka-clients 4.4 consumers and kcat: partitions split between members
 * and rebalanced when one leaves and when one dies (session timeout, the dead member a child JVM
 * killed with SIGKILL), cooperative-sticky, committed offsets resumed, static membership, and
 * committed offsets surviving a kill -9 of the broker. Every wait is a condition with a deadline.
 */
public class ConsumerGroupsIT {

    private static final Duration WAIT = Duration.ofSeconds(45);
    /** Kafka's minimum (group.min.session.timeout.ms), so a dead member is noticed quickly. */
    private static final String SESSION_MS = "6000";

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static Path work;
    private static Path data;
    private static BrokerProcess broker;
    private static Admin admin;

    @BeforeClass
    public static void startBroker() throws Exception {
        work = tmp.newFolder("work").toPath();
        data = tmp.newFolder("data").toPath();
        broker = start(BrokerProcess.freePort());
        admin = Clients.admin(broker.bootstrap());
    }

    private static BrokerProcess start(int port) throws Exception {
        BrokerProcess started = BrokerProcess.start(work, data, port, "group.initial.rebalance.delay.ms=500");
        started.awaitListening(Duration.ofSeconds(60));
        return started;
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
    public void twoMembersSplitFourPartitionsAndRebalanceWhenOneLeavesOrDies() throws Exception {
        String topic = topic("split", 4);
        try (KafkaConsumer<String, String> survivor = consumer("split", Map.of())) {
            survivor.subscribe(List.of(topic));
            Process dying = member(topic, "split");
            try {
                await(() -> poll(survivor) && survivor.assignment().size() == 2, "two partitions each");
                dying.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
                // Session timeout: the coordinator removes the silent member and rebalances.
                await(() -> poll(survivor) && survivor.assignment().size() == 4, "all four after the death");
            } finally {
                dying.destroyForcibly();
            }

            try (KafkaConsumer<String, String> joiner = consumer("split", Map.of())) {
                joiner.subscribe(List.of(topic));
                await(() -> poll(survivor) && poll(joiner) && survivor.assignment().size() == 2
                        && joiner.assignment().size() == 2, "two each again");
                Set<TopicPartition> all = new HashSet<>(survivor.assignment());
                all.addAll(joiner.assignment());
                assertEquals(4, all.size());
            }
            // close() sent LeaveGroup: no session timeout to wait for.
            await(() -> poll(survivor) && survivor.assignment().size() == 4, "all four after the leave");
        }
    }

    @Test
    public void cooperativeStickyMovesOnlyWhatMustMove() throws Exception {
        String topic = topic("coop", 4);
        Map<String, Object> coop = Map.of(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
                CooperativeStickyAssignor.class.getName());
        try (KafkaConsumer<String, String> first = consumer("coop", coop)) {
            first.subscribe(List.of(topic));
            await(() -> poll(first) && first.assignment().size() == 4, "the first member owns all four");
            try (KafkaConsumer<String, String> second = consumer("coop", coop)) {
                second.subscribe(List.of(topic));
                await(() -> poll(first) && poll(second) && first.assignment().size() == 2
                        && second.assignment().size() == 2, "two each");
            }
            await(() -> poll(first) && first.assignment().size() == 4, "all four back");
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
                        // Processed up to 5: commit 6; 6 and later are read but never committed.
                        consumer.commitSync(Map.of(new TopicPartition(topic, 0), new OffsetAndMetadata(6)));
                    }
                });
                return firstRun.size() >= 8;
            }, "eight records read");
        }
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
    public void aStaticMemberRejoinsWithoutARebalance() throws Exception {
        String topic = topic("static", 4);
        AtomicInteger stableRebalances = new AtomicInteger();
        ConsumerRebalanceListener counting = new ConsumerRebalanceListener() {
            @Override
            public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
            }

            @Override
            public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
                stableRebalances.incrementAndGet();
            }
        };
        Map<String, Object> session = Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, "30000");
        try (KafkaConsumer<String, String> stable = consumer("static", with(session, "stable"))) {
            stable.subscribe(List.of(topic), counting);
            Set<TopicPartition> before;
            KafkaConsumer<String, String> bouncing = consumer("static", with(session, "bouncing"));
            try {
                bouncing.subscribe(List.of(topic));
                await(() -> poll(stable) && poll(bouncing) && stable.assignment().size() == 2
                        && bouncing.assignment().size() == 2, "two each");
                before = Set.copyOf(bouncing.assignment());
            } finally {
                // A static member does not leave the group when it closes.
                bouncing.close();
            }
            int rebalancesSoFar = stableRebalances.get();
            try (KafkaConsumer<String, String> rejoined = consumer("static", with(session, "bouncing"))) {
                rejoined.subscribe(List.of(topic));
                await(() -> poll(stable) && poll(rejoined) && rejoined.assignment().size() == 2, "rejoined");
                assertEquals(before, rejoined.assignment());
                // The stable member kept its partitions without being asked to rejoin.
                long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(3);
                while (System.nanoTime() < until) {
                    poll(stable);
                }
                assertEquals(rebalancesSoFar, stableRebalances.get());
                assertEquals(2, stable.assignment().size());
            }
        }
    }

    @Test
    public void committedOffsetsSurviveKill9OfTheBroker() throws Exception {
        String topic = topic("durable", 2);
        TopicPartition p0 = new TopicPartition(topic, 0);
        TopicPartition p1 = new TopicPartition(topic, 1);
        admin.alterConsumerGroupOffsets("durable", Map.of(p0, new OffsetAndMetadata(17, "seventeen"),
                p1, new OffsetAndMetadata(4))).all().get(30, TimeUnit.SECONDS);

        int port = broker.port();
        broker.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        broker = start(port);

        Map<TopicPartition, OffsetAndMetadata> offsets = admin.listConsumerGroupOffsets("durable")
                .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
        assertEquals(17, offsets.get(p0).offset());
        assertEquals("seventeen", offsets.get(p0).metadata());
        assertEquals(4, offsets.get(p1).offset());
    }

    @Test
    public void kcatBalancedConsumerReadsEveryRecordAndCommits() throws Exception {
        String topic = topic("kcat", 4);
        produce(topic, 20);
        Process kcat = new ProcessBuilder("kcat", "-b", broker.bootstrap(), "-G", "kcat-group", "-o", "beginning",
                "-c", "20", "-q", "-f", "%p:%o\\n", "-X", "enable.auto.commit=true",
                "-X", "auto.commit.interval.ms=100", topic).redirectErrorStream(false).start();
        List<String> lines = new ArrayList<>();
        try (BufferedReader out = new BufferedReader(new InputStreamReader(kcat.getInputStream(),
                StandardCharsets.UTF_8))) {
            String line;
            while ((line = out.readLine()) != null) {
                if (!line.isBlank()) {
                    lines.add(line.trim());
                }
            }
        }
        assertTrue("kcat ended", kcat.waitFor(60, TimeUnit.SECONDS));
        assertEquals(new String(kcat.getErrorStream().readAllBytes(), StandardCharsets.UTF_8), 0, kcat.exitValue());
        assertEquals(20, new HashSet<>(lines).size());
        // kcat commits on exit (and every 100 ms): the group's offsets add up to what it read.
        await(() -> {
            try {
                return admin.listConsumerGroupOffsets("kcat-group").partitionsToOffsetAndMetadata()
                        .get(10, TimeUnit.SECONDS).values().stream().mapToLong(OffsetAndMetadata::offset).sum() == 20;
            } catch (Exception e) {
                return false;
            }
        }, "kcat's commits");
    }

    // ---- a group member in its own JVM, to be killed ----

    /** Runs a consumer in a child JVM that subscribes and polls until killed. */
    private static Process member(String topic, String group) throws IOException {
        return GroupMemberProcess.start(work, broker.bootstrap(), group, topic,
                Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_MS));
    }

    // ---- helpers ----

    private static String topic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get(30, TimeUnit.SECONDS);
        return name;
    }

    private static void produce(String topic, int count) {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int i = 0; i < count; i++) {
                producer.send(new ProducerRecord<>(topic, "k" + i, "v" + i));
            }
            producer.flush();
        }
    }

    private static Map<String, Object> with(Map<String, Object> config, String instanceId) {
        Map<String, Object> all = new java.util.HashMap<>(config);
        all.put(ConsumerConfig.GROUP_INSTANCE_ID_CONFIG, instanceId);
        return all;
    }

    private static KafkaConsumer<String, String> consumer(String group, Map<String, Object> overrides) {
        Map<String, Object> all = new java.util.HashMap<>(Map.of(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, SESSION_MS,
                ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, "500"));
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
