package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.ConfigEntry;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidRequestException;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * An operator switches the offset store of a running broker with Kafka's own tooling
 * ({@code kafka-configs --entity-type brokers --entity-name 1 --alter --add-config
 * cairn.offsets.store=topic}, here the same IncrementalAlterConfigs through Admin) while a consumer
 * commits every 100 ms: file → topic → zookeeper (a real ZooKeeper server, started by the test)
 * → file → topic → zookeeper. Throughout, a reader asks for the group's committed offsets every
 * 50 ms and never sees one older than a commit that had been acknowledged before it asked; every
 * commit is acknowledged. At the end ZooKeeper's own CLI shows the last offsets in Kafka 0.8's
 * nodes; the broker is killed (SIGKILL) and restarted with its unchanged {@code server.properties}
 * (store {@code file}): the dynamic choice of {@code zookeeper} is kept, and the last acknowledged
 * offsets come back.
 */
public class OffsetStoreSwitchIT {

    private static final String TOPIC = "switching";
    private static final String GROUP = "switch-group";
    private static final int PARTITIONS = 2;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerProcess broker;
    private ZooKeeperProcess zookeeper;
    private final ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);

    @After
    public void stop() throws Exception {
        threads.shutdownNow();
        threads.awaitTermination(10, TimeUnit.SECONDS);
        if (broker != null) {
            broker.close();
        }
        if (zookeeper != null) {
            zookeeper.close();
        }
    }

    private BrokerProcess startBroker(Path work, Path data, int port) throws Exception {
        BrokerProcess started = BrokerProcess.start(work, data, port, "group.initial.rebalance.delay.ms=0",
                "zookeeper.connect=" + zookeeper.hosts() + "/cairn",
                // zookeeper.connect alone would select a zookeeper metadata store, which does not exist yet.
                "cairn.metadata.store=standalone");
        started.awaitListening(Duration.ofSeconds(60));
        return started;
    }

    @Test
    public void switchingTheStoreUnderACommittingConsumerLosesNoCommit() throws Exception {
        Path work = tmp.newFolder("work").toPath();
        Path data = tmp.newFolder("data").toPath();
        int port = BrokerProcess.freePort();
        zookeeper = ZooKeeperProcess.start(tmp.newFolder("zookeeper").toPath());
        broker = startBroker(work, data, port);

        try (Admin admin = admin()) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1))).all().get(30, TimeUnit.SECONDS);
            produce(4_000);

            Map<TopicPartition, Long> acked = new ConcurrentHashMap<>();
            AtomicInteger commits = new AtomicInteger();
            List<String> problems = Collections.synchronizedList(new ArrayList<>());
            KafkaConsumer<String, String> consumer = consumer();
            consumer.subscribe(List.of(TOPIC));
            // The consumer: every 100 ms it takes a few records and commits its position.
            threads.scheduleAtFixedRate(() -> {
                try {
                    consumer.poll(Duration.ofMillis(50));
                    Map<TopicPartition, OffsetAndMetadata> positions = new HashMap<>();
                    for (TopicPartition tp : consumer.assignment()) {
                        positions.put(tp, new OffsetAndMetadata(consumer.position(tp), "c" + commits.get()));
                    }
                    if (!positions.isEmpty()) {
                        consumer.commitSync(positions, Duration.ofSeconds(15));
                        positions.forEach((tp, o) -> acked.merge(tp, o.offset(), Math::max));
                        commits.incrementAndGet();
                    }
                } catch (RuntimeException e) {
                    problems.add("commit failed: " + e);
                }
            }, 0, 100, TimeUnit.MILLISECONDS);
            // The reader: what it reads is never older than what was acknowledged before it asked.
            AtomicInteger reads = new AtomicInteger();
            threads.scheduleAtFixedRate(() -> {
                Map<TopicPartition, Long> before = Map.copyOf(acked);
                try {
                    Map<TopicPartition, OffsetAndMetadata> read = admin.listConsumerGroupOffsets(GROUP)
                            .partitionsToOffsetAndMetadata().get(15, TimeUnit.SECONDS);
                    before.forEach((tp, offset) -> {
                        OffsetAndMetadata got = read.get(tp);
                        if (got == null || got.offset() < offset) {
                            problems.add("read " + got + " for " + tp + " after " + offset + " was acknowledged");
                        }
                    });
                    reads.incrementAndGet();
                } catch (Exception e) {
                    problems.add("read failed: " + e);
                }
            }, 50, 50, TimeUnit.MILLISECONDS);

            awaitCommits(commits, 20);
            switchTo(admin, "topic");
            await("__consumer_offsets created by the topic store", () -> internalTopicExists(admin));
            awaitCommits(commits, commits.get() + 20);
            switchTo(admin, "zookeeper");
            awaitCommits(commits, commits.get() + 20);
            switchTo(admin, "file");
            awaitCommits(commits, commits.get() + 20);
            switchTo(admin, "topic");
            awaitCommits(commits, commits.get() + 20);
            switchTo(admin, "zookeeper");
            awaitCommits(commits, commits.get() + 20);

            // A key that cannot change while the broker runs is refused as Kafka refuses it.
            try {
                admin.incrementalAlterConfigs(Map.of(brokerResource(), List.of(new AlterConfigOp(
                        new ConfigEntry("log.retention.ms", "1"), AlterConfigOp.OpType.SET)))).all()
                        .get(30, TimeUnit.SECONDS);
                problems.add("log.retention.ms was changed dynamically");
            } catch (ExecutionException e) {
                assertTrue(e.getCause().toString(), e.getCause() instanceof InvalidRequestException);
            }

            threads.shutdown();
            assertTrue(threads.awaitTermination(30, TimeUnit.SECONDS));
            consumer.close(Duration.ofSeconds(10));
            assertEquals("problems: " + problems, List.of(), problems);
            assertTrue("reads: " + reads.get(), reads.get() > 20);

            Map<TopicPartition, Long> last = Map.copyOf(acked);
            assertEquals(PARTITIONS, last.size());
            assertEquals(last, committed(admin));
            for (Map.Entry<TopicPartition, Long> e : last.entrySet()) {
                assertEquals(List.of(String.valueOf(e.getValue())), zookeeper.cli(zookeeper.hosts() + "/cairn", "get",
                        "/consumers/" + GROUP + "/offsets/" + TOPIC + "/" + e.getKey().partition()));
            }

            // Kill -9 and restart with server.properties unchanged (store "file"): the dynamic
            // choice of "zookeeper" is kept, and the offsets that store acknowledged come back.
            broker.process().destroyForcibly().waitFor(30, TimeUnit.SECONDS);
            assertTrue(Files.isRegularFile(data.resolve("cairn-dynamic-broker.properties")));
            broker = startBroker(work, data, port);
            try (Admin again = admin()) {
                ConfigEntry store = storeEntry(again);
                assertEquals("zookeeper", store.value());
                assertEquals(ConfigEntry.ConfigSource.DYNAMIC_BROKER_CONFIG, store.source());
                assertEquals(last, committed(again));
            }
        }
    }

    private void switchTo(Admin admin, String store) throws Exception {
        admin.incrementalAlterConfigs(Map.of(brokerResource(), List.of(new AlterConfigOp(
                new ConfigEntry("cairn.offsets.store", store), AlterConfigOp.OpType.SET)))).all()
                .get(30, TimeUnit.SECONDS);
        assertEquals(store, storeEntry(admin).value());
    }

    private static ConfigEntry storeEntry(Admin admin) throws Exception {
        Config config = admin.describeConfigs(List.of(brokerResource())).all().get(30, TimeUnit.SECONDS)
                .get(brokerResource());
        return config.get("cairn.offsets.store");
    }

    /** The broker's config resource; the distribution's server.properties says broker.id=1. */
    private static ConfigResource brokerResource() {
        return new ConfigResource(ConfigResource.Type.BROKER, "1");
    }

    private static boolean internalTopicExists(Admin admin) {
        try {
            return admin.listTopics(new ListTopicsOptions().listInternal(true)).names().get(10, TimeUnit.SECONDS)
                    .contains("__consumer_offsets");
        } catch (Exception e) {
            return false;
        }
    }

    private static Map<TopicPartition, Long> committed(Admin admin) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listConsumerGroupOffsets(GROUP).partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS)
                .forEach((tp, o) -> out.put(tp, o.offset()));
        return out;
    }

    private static void awaitCommits(AtomicInteger commits, int atLeast) throws Exception {
        await(atLeast + " commits acknowledged", () -> commits.get() >= atLeast);
    }

    private static void await(String what, Await.Condition condition) throws Exception {
        Await.until(what, Duration.ofSeconds(60), condition);
    }

    private void produce(int records) throws Exception {
        try (KafkaProducer<String, String> producer = Clients.producer(broker.bootstrap())) {
            for (int i = 0; i < records; i++) {
                producer.send(new ProducerRecord<>(TOPIC, i % PARTITIONS, null, "v" + i));
            }
            producer.flush();
        }
    }

    private KafkaConsumer<String, String> consumer() {
        return Clients.consumer(broker.bootstrap(), GROUP, Map.of(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5"));
    }

    private Admin admin() {
        Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        return Admin.create(props);
    }
}
