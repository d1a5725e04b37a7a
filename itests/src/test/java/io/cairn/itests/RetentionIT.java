package io.cairn.itests;

import static io.cairn.itests.Clients.readFromStart;
import static io.cairn.itests.PartitionDirectory.bytesOfSegments;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Retention through the running broker: old segments go by size and by time while the broker
 * keeps serving, without a restart, and what is gone is no longer served.
 */
public class RetentionIT {

    private static final int RECORDS = 400;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void oldSegmentsAreDeletedBySizeAndByTimeWithoutARestart() throws Exception {
        Path data = tmp.newFolder("data").toPath();
        int port = BrokerProcess.freePort();
        try (BrokerProcess broker = BrokerProcess.start(tmp.newFolder("work").toPath(), data, port,
                "log.retention.check.interval.ms=200");
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port))) {
            broker.awaitListening(Duration.ofSeconds(60));
            // 16 KiB segments; keep at most ~48 KiB, or records at most one minute old.
            Map<String, String> small = Map.of("segment.bytes", "16384", "file.delete.delay.ms", "0");
            admin.createTopics(List.of(
                    new NewTopic("by-size", 1, (short) 1).configs(with(small, "retention.bytes", "49152")),
                    new NewTopic("by-time", 1, (short) 1).configs(with(small, "retention.ms", "60000"))))
                    .all().get(30, TimeUnit.SECONDS);

            long now = System.currentTimeMillis();
            try (KafkaProducer<String, String> producer = producer(broker.bootstrap())) {
                for (int i = 0; i < RECORDS; i++) {
                    producer.send(new ProducerRecord<>("by-size", 0, null, "k" + i, value(i)));
                    // The first three quarters an hour old, the rest current.
                    long ts = i < RECORDS * 3 / 4 ? now - 3_600_000L : now;
                    producer.send(new ProducerRecord<>("by-time", 0, ts, "k" + i, value(i)));
                }
                producer.flush();
            }

            Path sizeDir = data.resolve("by-size-0");
            awaitCondition("by-size keeps about retention.bytes on disk",
                    () -> bytesOfSegments(sizeDir) <= 49_152 + 16_384 + 4096);
            long sizeStart = awaitLogStartAbove(admin, "by-size", 0);
            assertServedFrom(readFromStart(broker.bootstrap(), "by-size"), sizeStart);

            long timeStart = awaitLogStartAbove(admin, "by-time", 0);
            assertTrue("the hour-old records go, the current ones stay: log start " + timeStart,
                    timeStart <= RECORDS * 3 / 4);
            assertServedFrom(readFromStart(broker.bootstrap(), "by-time"), timeStart);

            assertEquals(0, broker.terminate(Duration.ofSeconds(10)));
        }
    }

    /**
     * Nothing below the log start seen before reading is served (retention may move on while the
     * consumer reads, never back), and from the first record served to the end nothing is missing.
     */
    private static void assertServedFrom(List<ConsumerRecord<String, String>> served, long logStart) {
        long first = served.get(0).offset();
        assertTrue("record " + first + " below the log start " + logStart + " was served", first >= logStart);
        for (int i = 0; i < served.size(); i++) {
            assertEquals(first + i, served.get(i).offset());
            assertEquals(value((int) (first + i)), served.get(i).value());
        }
        assertEquals(RECORDS - 1, served.get(served.size() - 1).offset());
    }

    private static Map<String, String> with(Map<String, String> base, String key, String value) {
        Map<String, String> m = new java.util.HashMap<>(base);
        m.put(key, value);
        return m;
    }

    private static String value(int i) {
        return String.format("%05d-%s", i, "r".repeat(400));
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return Clients.producer(bootstrap, Map.of(ProducerConfig.BATCH_SIZE_CONFIG, 4096));
    }

    private static long logStart(Admin admin, String topic) throws Exception {
        TopicPartition tp = new TopicPartition(topic, 0);
        return admin.listOffsets(Map.of(tp, OffsetSpec.earliest())).all().get(30, TimeUnit.SECONDS).get(tp).offset();
    }

    private static long awaitLogStartAbove(Admin admin, String topic, long floor) throws Exception {
        long[] start = {logStart(admin, topic)};
        Await.until("retention moves the log start of " + topic + " above " + floor, Duration.ofSeconds(60),
                () -> (start[0] = logStart(admin, topic)) > floor);
        return start[0];
    }

    private static void awaitCondition(String what, Await.Condition check) throws Exception {
        Await.until(what, Duration.ofSeconds(60), check);
    }
}
