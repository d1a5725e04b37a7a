package io.cairn.itests;

import static io.cairn.itests.Clients.readFromStart;
import static io.cairn.itests.PartitionDirectory.bytesOfSegments;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Log compaction in the running distribution: a topic with {@code cleanup.policy=compact} and
 * small segments shrinks to about one record per key while the broker runs, every key keeps its
 * latest value, also across kill -9 while the cleaner is busy; and {@code __consumer_offsets}
 * under the {@code topic} offset store shrinks the same way, its committed offsets surviving a
 * restart.
 */
public class CompactionIT {

    private static final int RECORDS = 50_000;
    private static final int KEYS = 100;
    /**
     * Uncompressed last: the active segment is never cleaned, and 10,000 well-compressed records
     * would all fit in it.
     */
    private static final String[] CODECS = {"snappy", "lz4", "zstd", "gzip", "none"};

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerProcess broker;

    @After
    public void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private static Admin admin(BrokerProcess broker) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap()));
    }

    @Test
    public void aCompactedTopicKeepsTheLatestValueOfEveryKeyAndFarFewerRecords() throws Exception {
        Path work = tmp.newFolder("work").toPath();
        Path data = tmp.newFolder("data").toPath();
        int port = BrokerProcess.freePort();
        broker = BrokerProcess.start(work, data, port, "log.cleaner.backoff.ms=200");
        broker.awaitListening(Duration.ofSeconds(60));
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic("compacted", 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact", "segment.bytes", "65536", "file.delete.delay.ms", "0"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        // Every codec in turn, 10,000 records each: the cleaner recompresses what it rewrites.
        Map<String, String> latest = new HashMap<>();
        int perCodec = RECORDS / CODECS.length;
        for (int c = 0; c < CODECS.length; c++) {
            try (KafkaProducer<String, String> producer = producer(broker.bootstrap(), CODECS[c])) {
                for (int i = c * perCodec; i < (c + 1) * perCodec; i++) {
                    String key = "key-" + (i % KEYS);
                    String value = String.format("%06d-%s-%s", i, CODECS[c], "v".repeat(100));
                    producer.send(new ProducerRecord<>("compacted", 0, key, value));
                    latest.put(key, value);
                }
                producer.flush();
            }
        }
        Path dir = data.resolve("compacted-0");

        // The cleaner looks every 200 ms when idle. 10,000 uncompressed records alone are 1.3 MB;
        // cleaned, 100 keys plus the active segment (64 KiB at most) and a dirty tail below
        // min.cleanable.dirty.ratio remain. Wait (bounded) until the log is that small.
        awaitCondition("the compacted log shrinks below 200 KiB", () -> bytesOfSegments(dir) < 200 * 1024);
        List<ConsumerRecord<String, String>> served = readFromStart(broker.bootstrap(), "compacted");
        assertLatestValues(latest, served);
        assertTrue("far fewer records than the " + RECORDS + " written: " + served.size(), served.size() < RECORDS / 10);
        assertTrue("one INFO line per cleaning:\n" + broker.output(), broker.output().contains("Cleaned compacted-0"));
        System.out.printf("compacted-0: %d records served of %d written, %d bytes of segments%n", served.size(), RECORDS,
                bytesOfSegments(dir));
        printCleanerLines(broker);

        // The cleaned segments load after a clean restart and serve the same.
        assertEquals(0, broker.terminate(Duration.ofSeconds(30)));
        broker = BrokerProcess.start(work, data, port, "log.cleaner.backoff.ms=200");
        broker.awaitListening(Duration.ofSeconds(60));
        List<ConsumerRecord<String, String>> again = readFromStart(broker.bootstrap(), "compacted");
        assertLatestValues(latest, again);
        assertTrue(again.size() <= served.size());
        assertEquals(0, broker.terminate(Duration.ofSeconds(30)));
    }

    @Test
    public void killNineWhileTheCleanerRunsLosesNoLatestValue() throws Exception {
        Path work = tmp.newFolder("work").toPath();
        Path data = tmp.newFolder("data").toPath();
        int port = BrokerProcess.freePort();
        String[] overrides = {"log.cleaner.backoff.ms=50"};
        broker = BrokerProcess.start(work, data, port, overrides);
        broker.awaitListening(Duration.ofSeconds(60));
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic("killed", 1, (short) 1).configs(Map.of(
                    "cleanup.policy", "compact", "segment.bytes", "32768", "file.delete.delay.ms", "0"))))
                    .all().get(30, TimeUnit.SECONDS);
        }
        Map<String, String> latest = new HashMap<>();
        int written = 0;
        for (int round = 0; round < 4; round++) {
            // 8,000 acknowledged records over 100 keys (about 40 segments, so the cleaner is busy
            // swapping when the broker is killed right after the last acknowledgement).
            try (KafkaProducer<String, String> producer = producer(broker.bootstrap(), "none")) {
                for (int i = 0; i < 8_000; i++, written++) {
                    String key = "key-" + (written % KEYS);
                    String value = String.format("%06d-%s", written, "k".repeat(100));
                    producer.send(new ProducerRecord<>("killed", 0, key, value));
                    latest.put(key, value);
                }
                producer.flush();
            }
            broker.process().destroyForcibly();
            broker.process().waitFor(30, TimeUnit.SECONDS);
            long cleanings = broker.output().lines().filter(l -> l.contains("Cleaned killed-0")).count();
            broker = BrokerProcess.start(work, data, port, overrides);
            broker.awaitListening(Duration.ofSeconds(60));
            assertLatestValues(latest, readFromStart(broker.bootstrap(), "killed"));
            System.out.printf("kill -9 #%d after %d cleanings; on restart:%n", round + 1, cleanings);
            broker.output().lines().filter(l -> l.contains("killed-0") && l.contains("LogLoader"))
                    .forEach(System.out::println);
        }
        awaitCondition("the killed log is compacted after the last restart",
                () -> readFromStart(broker.bootstrap(), "killed").size() < 2_000);
        assertLatestValues(latest, readFromStart(broker.bootstrap(), "killed"));
        try (Stream<Path> files = Files.list(data.resolve("killed-0"))) {
            assertTrue("no cleaning leftovers", files.map(f -> f.getFileName().toString())
                    .noneMatch(n -> n.endsWith(".cleaned") || n.endsWith(".swap")));
        }
        assertEquals(0, broker.terminate(Duration.ofSeconds(30)));
    }

    @Test
    public void consumerOffsetsShrinksAndCommittedOffsetsSurviveARestart() throws Exception {
        Path work = tmp.newFolder("work").toPath();
        Path data = tmp.newFolder("data").toPath();
        int port = BrokerProcess.freePort();
        // One offsets partition with 16 KiB segments (Kafka's offsets.topic.segment.bytes, 100 MiB
        // by default, is the segment.bytes the store creates the topic with).
        String[] overrides = {"cairn.offsets.store=topic", "offsets.topic.num.partitions=1",
            "offsets.topic.segment.bytes=16384", "log.cleaner.backoff.ms=200", "group.initial.rebalance.delay.ms=0"};
        broker = BrokerProcess.start(work, data, port, overrides);
        broker.awaitListening(Duration.ofSeconds(60));
        String topic = "consumed";
        Map<TopicPartition, OffsetAndMetadata> last = new HashMap<>();
        try (Admin admin = admin(broker)) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            for (int commit = 1; commit <= 2_000; commit++) {
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (int p = 0; p < 3; p++) {
                    offsets.put(new TopicPartition(topic, p), new OffsetAndMetadata(10L * commit + p, "commit-" + commit));
                }
                admin.alterConsumerGroupOffsets("many-commits", offsets).all().get(30, TimeUnit.SECONDS);
                last = offsets;
            }
            assertEquals(last, admin.listConsumerGroupOffsets("many-commits").partitionsToOffsetAndMetadata()
                    .get(30, TimeUnit.SECONDS));
        }
        Path dir = data.resolve("__consumer_offsets-0");
        // 2,000 commits of three offsets are well over 200 KiB of batches; cleaned, a few KiB plus
        // the active segment remain.
        awaitCondition("__consumer_offsets-0 shrinks below 48 KiB", () -> bytesOfSegments(dir) < 48 * 1024);
        assertTrue(broker.output(), broker.output().contains("Cleaned __consumer_offsets-0"));
        System.out.printf("__consumer_offsets-0: %d bytes of segments after 2,000 commits%n", bytesOfSegments(dir));
        printCleanerLines(broker);

        assertEquals(0, broker.terminate(Duration.ofSeconds(30)));
        broker = BrokerProcess.start(work, data, port, overrides);
        broker.awaitListening(Duration.ofSeconds(60));
        try (Admin admin = admin(broker)) {
            assertEquals("the latest commit of every partition survives compaction and a restart", last,
                    admin.listConsumerGroupOffsets("many-commits").partitionsToOffsetAndMetadata()
                            .get(30, TimeUnit.SECONDS));
        }
        assertEquals(0, broker.terminate(Duration.ofSeconds(30)));
    }

    private static void printCleanerLines(BrokerProcess broker) {
        broker.output().lines().filter(l -> l.contains("LogCleaner")).forEach(System.out::println);
    }

    private static void assertLatestValues(Map<String, String> latest, List<ConsumerRecord<String, String>> served) {
        Map<String, String> seen = new HashMap<>();
        long previous = -1;
        for (ConsumerRecord<String, String> record : served) {
            assertTrue("offsets increase: " + previous + " then " + record.offset(), record.offset() > previous);
            previous = record.offset();
            seen.put(record.key(), record.value());
        }
        assertEquals("the latest value of every key", latest, seen);
    }

    private static KafkaProducer<String, String> producer(String bootstrap, String codec) {
        return Clients.producer(bootstrap, Map.of(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec,
                ProducerConfig.LINGER_MS_CONFIG, 5, ProducerConfig.BATCH_SIZE_CONFIG, 16384));
    }

    /** Polls {@code check} until it holds; fails after 120 s with the broker's output. */
    private void awaitCondition(String what, Await.Condition check) throws Exception {
        Await.until(what, Duration.ofSeconds(120), broker::output, check);
    }
}
