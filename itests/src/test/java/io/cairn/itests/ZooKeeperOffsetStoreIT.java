package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.CoordinatorNotAvailableException;
import org.apache.kafka.common.errors.InvalidCommitOffsetSizeException;
import org.apache.kafka.common.errors.TimeoutException;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The {@code zookeeper} offset store against the built distribution and a real ZooKeeper server
 * (both child processes): a kafka-clients group member commits with
 * {@code cairn.offsets.store=zookeeper}; ZooKeeper's own CLI ({@code ZooKeeperMain}, what
 * {@code zkCli.sh} runs) reads the offset as a plain number from Kafka 0.8's
 * {@code /consumers/<group>/offsets/<topic>/<partition>} under the chroot; after kill -9 and a
 * restart of the broker every committed offset comes back unchanged and a member resumes there.
 * While ZooKeeper is down, commits fail within a bound instead of hanging, and succeed again once
 * it is back. And an operator switches a running broker from the file store to ZooKeeper and back
 * with Kafka's dynamic broker configuration, every offset going along; a commit too large for one
 * ZooKeeper transaction is refused with {@code INVALID_COMMIT_OFFSET_SIZE}.
 */
public class ZooKeeperOffsetStoreIT {

    private static final String TOPIC = "zk-offsets";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private ZooKeeperProcess zookeeper;
    private BrokerProcess broker;

    @After
    public void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    private BrokerProcess startBroker(Path work, Path data, int port) throws Exception {
        return startBroker(work, data, port, "zookeeper");
    }

    private BrokerProcess startBroker(Path work, Path data, int port, String offsetStore) throws Exception {
        BrokerProcess started = BrokerProcess.start(work, data, port,
                "zookeeper.connect=" + zookeeper.hosts() + "/cairn",
                // zookeeper.connect alone would select the zookeeper metadata store, which does not exist yet.
                "cairn.metadata.store=standalone",
                "cairn.offsets.store=" + offsetStore,
                "group.initial.rebalance.delay.ms=0");
        started.awaitListening(Duration.ofSeconds(60));
        return started;
    }

    @Test
    public void offsetsAreKafka08NodesInZooKeeperAndSurviveKill9() throws Exception {
        zookeeper = ZooKeeperProcess.start(tmp.newFolder("zookeeper").toPath());
        Path work = tmp.newFolder("work").toPath();
        Path data = tmp.newFolder("data").toPath();
        int port = BrokerProcess.freePort();
        broker = startBroker(work, data, port);

        try (Admin admin = admin(30_000)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int p = 0; p < 3; p++) {
                for (int i = 0; i < 10; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, p, "k" + i, "p" + p + "-" + i)).get(30, TimeUnit.SECONDS);
                }
            }
        }

        // A real group member commits (generation and member id checked by the coordinator).
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        TopicPartition p1 = new TopicPartition(TOPIC, 1);
        TopicPartition p2 = new TopicPartition(TOPIC, 2);
        Map<String, Map<TopicPartition, OffsetAndMetadata>> expected = new TreeMap<>();
        Map<TopicPartition, OffsetAndMetadata> memberOffsets = Map.of(p0, new OffsetAndMetadata(4, "processed 0..3"),
                p1, new OffsetAndMetadata(7, ""), p2, new OffsetAndMetadata(10, "ünïcødé {\"json\": true}"));
        try (KafkaConsumer<String, String> member = Clients.consumer(broker.bootstrap(), "zk-group", Map.of())) {
            member.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (member.assignment().size() != 3) {
                assertTrue("the member got its partitions", System.nanoTime() < deadline);
                member.poll(Duration.ofMillis(100));
            }
            member.commitSync(memberOffsets);
        }
        expected.put("zk-group", memberOffsets);
        // More groups through Admin, one overwritten with a lower offset.
        try (Admin admin = admin(30_000)) {
            for (int g = 0; g < 4; g++) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (int p = 0; p < 3; p++) {
                    offsets.put(new TopicPartition(TOPIC, p), new OffsetAndMetadata(g + p + 1L, "g" + g + "/" + p));
                }
                admin.alterConsumerGroupOffsets("admin-" + g, offsets).all().get(30, TimeUnit.SECONDS);
                expected.put("admin-" + g, offsets);
            }
            Map<TopicPartition, OffsetAndMetadata> rewound = new HashMap<>(expected.get("admin-3"));
            rewound.put(p0, new OffsetAndMetadata(1, "rewound"));
            admin.alterConsumerGroupOffsets("admin-3", rewound).all().get(30, TimeUnit.SECONDS);
            expected.put("admin-3", rewound);
        }

        // zkCli shows Kafka 0.8's node, under the chroot, holding the offset as a plain number.
        String chrooted = zookeeper.hosts() + "/cairn";
        List<String> get = zookeeper.cli(chrooted, "get", "/consumers/zk-group/offsets/" + TOPIC + "/0");
        assertEquals("zkCli get prints the offset alone: " + get, List.of("4"), get);
        assertEquals(List.of("7"), zookeeper.cli(chrooted, "get", "/consumers/zk-group/offsets/" + TOPIC + "/1"));
        assertEquals(List.of("1"), zookeeper.cli(chrooted, "get", "/consumers/admin-3/offsets/" + TOPIC + "/0"));
        List<String> ls = zookeeper.cli(chrooted, "ls", "/consumers/zk-group/offsets/" + TOPIC);
        assertEquals(List.of("[0, 1, 2]"), ls);
        // The rest of the commit is in the sibling details node.
        String details = String.join("\n", zookeeper.cli(chrooted, "get", "/consumers/zk-group/offset_metadata/" + TOPIC + "/0"));
        assertTrue(details, details.startsWith("{\"version\":1,\"offset\":4,\"leader_epoch\":")
                && details.contains("\"metadata\":\"processed 0..3\""));
        // And nothing outside the chroot.
        assertEquals(List.of("[cairn, zookeeper]"), zookeeper.cli(zookeeper.hosts(), "ls", "/"));

        broker.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        broker = startBroker(work, data, port);

        try (Admin admin = admin(30_000)) {
            for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> e : expected.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> actual = admin.listConsumerGroupOffsets(e.getKey())
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertEquals(e.getKey(), e.getValue().size(), actual.size());
                for (Map.Entry<TopicPartition, OffsetAndMetadata> o : e.getValue().entrySet()) {
                    OffsetAndMetadata got = actual.get(o.getKey());
                    assertNotNull(e.getKey() + " " + o.getKey(), got);
                    assertEquals(e.getKey() + " " + o.getKey(), o.getValue().offset(), got.offset());
                    assertEquals(e.getKey() + " " + o.getKey(), o.getValue().metadata(), got.metadata());
                }
            }
        }
        // A member of the group resumes at the committed offsets: 4 on p0, 7 on p1, nothing left on p2.
        Map<Integer, Long> first = new TreeMap<>();
        Map<Integer, Integer> count = new TreeMap<>();
        try (KafkaConsumer<String, String> member = Clients.consumer(broker.bootstrap(), "zk-group", Map.of())) {
            member.subscribe(List.of(TOPIC));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (count.getOrDefault(0, 0) < 6 || count.getOrDefault(1, 0) < 3) {
                assertTrue("resumed records arrive: " + count, System.nanoTime() < deadline);
                for (ConsumerRecord<String, String> r : member.poll(Duration.ofMillis(200))) {
                    first.putIfAbsent(r.partition(), r.offset());
                    count.merge(r.partition(), 1, Integer::sum);
                }
            }
        }
        assertEquals(Map.of(0, 4L, 1, 7L), first);
        assertEquals(Map.of(0, 6, 1, 3), count);
    }

    @Test
    public void commitsFailWhileZooKeeperIsDownAndWorkOnceItIsBack() throws Exception {
        zookeeper = ZooKeeperProcess.start(tmp.newFolder("zookeeper").toPath());
        broker = startBroker(tmp.newFolder("work").toPath(), tmp.newFolder("data").toPath(), BrokerProcess.freePort());
        TopicPartition p0 = new TopicPartition(TOPIC, 0);
        try (Admin admin = admin(30_000)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
            admin.alterConsumerGroupOffsets("outage", Map.of(p0, new OffsetAndMetadata(3))).all().get(30, TimeUnit.SECONDS);
        }

        zookeeper.stop();
        // The client retries COORDINATOR_NOT_AVAILABLE until its API timeout: each attempt must come
        // back (the store gives up after offsets.commit.timeout.ms, 5 s), so the call ends by that timeout.
        long started = System.nanoTime();
        try (Admin admin = admin(12_000)) {
            admin.alterConsumerGroupOffsets("outage", Map.of(p0, new OffsetAndMetadata(5))).all().get(60, TimeUnit.SECONDS);
            fail("a commit succeeded while ZooKeeper was down");
        } catch (ExecutionException e) {
            assertTrue("retriable failure, not " + e.getCause(), e.getCause() instanceof TimeoutException
                    || e.getCause() instanceof CoordinatorNotAvailableException);
        }
        long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
        assertTrue("the commit failed within its API timeout, took " + tookMs + " ms", tookMs < 30_000);
        assertTrue(broker.output(), broker.output().contains("ZooKeeper offset store lost its connection"));

        zookeeper.start();
        try (Admin admin = admin(60_000)) {
            admin.alterConsumerGroupOffsets("outage", Map.of(p0, new OffsetAndMetadata(6, "after"))).all()
                    .get(90, TimeUnit.SECONDS);
            OffsetAndMetadata got = admin.listConsumerGroupOffsets("outage").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS).get(p0);
            assertEquals(6, got.offset());
            assertEquals("after", got.metadata());
        }
        assertEquals(List.of("6"), zookeeper.cli(zookeeper.hosts() + "/cairn", "get", "/consumers/outage/offsets/" + TOPIC + "/0"));
    }

    @Test
    public void switchingToZooKeeperAndBackAtRuntimeKeepsEveryOffset() throws Exception {
        zookeeper = ZooKeeperProcess.start(tmp.newFolder("zookeeper").toPath());
        broker = startBroker(tmp.newFolder("work").toPath(), tmp.newFolder("data").toPath(), BrokerProcess.freePort(),
                "file");
        String chrooted = zookeeper.hosts() + "/cairn";
        try (Admin admin = admin(30_000)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 2, (short) 1))).all().get(30, TimeUnit.SECONDS);
            Map<String, Map<TopicPartition, OffsetAndMetadata>> expected = new TreeMap<>();
            for (int g = 0; g < 3; g++) {
                Map<TopicPartition, OffsetAndMetadata> offsets = Map.of(
                        new TopicPartition(TOPIC, 0), new OffsetAndMetadata(10L + g, "file " + g),
                        new TopicPartition(TOPIC, 1), new OffsetAndMetadata(20L + g, ""));
                admin.alterConsumerGroupOffsets("switch-" + g, offsets).all().get(30, TimeUnit.SECONDS);
                expected.put("switch-" + g, offsets);
            }
            // Nothing in ZooKeeper while the file store serves (the store creates its nodes on first use).
            assertEquals(List.of("[zookeeper]"), zookeeper.cli(zookeeper.hosts(), "ls", "/"));

            // kafka-configs --entity-type brokers --entity-name 1 --alter --add-config cairn.offsets.store=zookeeper
            switchStore(admin, "zookeeper");
            for (int g = 0; g < 3; g++) {
                assertEquals(List.of(Long.toString(20L + g)),
                        zookeeper.cli(chrooted, "get", "/consumers/switch-" + g + "/offsets/" + TOPIC + "/1"));
            }
            assertEquals(expected, committed(admin, expected.keySet()));
            Map<TopicPartition, OffsetAndMetadata> inZooKeeper = Map.of(new TopicPartition(TOPIC, 0),
                    new OffsetAndMetadata(99, "committed to zookeeper"), new TopicPartition(TOPIC, 1),
                    new OffsetAndMetadata(20, ""));
            admin.alterConsumerGroupOffsets("switch-0", inZooKeeper).all().get(30, TimeUnit.SECONDS);
            expected.put("switch-0", inZooKeeper);
            assertEquals(List.of("99"), zookeeper.cli(chrooted, "get", "/consumers/switch-0/offsets/" + TOPIC + "/0"));

            // A commit too large for one ZooKeeper transaction (jute.maxbuffer) is refused whole
            // with Kafka's error for it, and nothing of it is stored.
            Map<TopicPartition, OffsetAndMetadata> huge = new HashMap<>();
            for (int p = 0; p < 300; p++) {
                huge.put(new TopicPartition("wide", p), new OffsetAndMetadata(p, "m".repeat(4000)));
            }
            try {
                admin.alterConsumerGroupOffsets("huge", huge).all().get(30, TimeUnit.SECONDS);
                fail("a 1.2 MB commit fitted one ZooKeeper transaction");
            } catch (ExecutionException e) {
                assertTrue(e.getCause().toString(), e.getCause() instanceof InvalidCommitOffsetSizeException);
            }
            assertEquals(Map.of(), admin.listConsumerGroupOffsets("huge").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS));

            // And back: what was committed to ZooKeeper is in the file store.
            switchStore(admin, "file");
            assertEquals(expected, committed(admin, expected.keySet()));
        }
    }

    private static void switchStore(Admin admin, String store) throws Exception {
        ConfigResource broker = new ConfigResource(ConfigResource.Type.BROKER, "1");
        admin.incrementalAlterConfigs(Map.of(broker, List.of(new AlterConfigOp(
                new ConfigEntry("cairn.offsets.store", store), AlterConfigOp.OpType.SET)))).all().get(30, TimeUnit.SECONDS);
        assertEquals(store, admin.describeConfigs(List.of(broker)).all().get(30, TimeUnit.SECONDS).get(broker)
                .get("cairn.offsets.store").value());
    }

    private static Map<String, Map<TopicPartition, OffsetAndMetadata>> committed(Admin admin, Iterable<String> groups)
            throws Exception {
        Map<String, Map<TopicPartition, OffsetAndMetadata>> all = new TreeMap<>();
        for (String group : groups) {
            Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
            admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                    .forEach((tp, o) -> offsets.put(tp, new OffsetAndMetadata(o.offset(), o.metadata())));
            all.put(group, offsets);
        }
        return all;
    }

    private Admin admin(int apiTimeoutMs) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, apiTimeoutMs,
                AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, Math.min(apiTimeoutMs, 30_000)));
    }
}
