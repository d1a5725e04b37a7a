package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The storage engine's promises, checked through the broker with real clients: segments in Kafka's
 * file layout, every acknowledged record back after kill -9, and a torn tail recovered without
 * inventing anything.
 */
public class StorageRecoveryIT {

    private static final String TOPIC = "crash";
    private static final int RECORDS = 100_000;

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void everyAcknowledgedRecordSurvivesKillMinus9() throws Exception {
        Path work = tmp.newFolder("work").toPath();
        Path data = tmp.newFolder("data").toPath();
        int port = BrokerProcess.freePort();
        // 256 KiB segments: 100,000 records of ~100 bytes make a few dozen of them.
        String segment = "log.segment.bytes=262144";
        List<Long> acknowledged = new ArrayList<>();
        try (BrokerProcess broker = BrokerProcess.start(work, data, port, segment)) {
            broker.awaitListening(Duration.ofSeconds(60));
            createTopic(broker.bootstrap());
            try (KafkaProducer<String, String> producer = producer(broker.bootstrap())) {
                List<Future<RecordMetadata>> sent = new ArrayList<>();
                for (int i = 0; i < RECORDS; i++) {
                    sent.add(producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, value(i))));
                }
                producer.flush();
                for (Future<RecordMetadata> f : sent) {
                    acknowledged.add(f.get(60, TimeUnit.SECONDS).offset());
                }
            }
            broker.process().destroyForcibly();
            assertTrue(broker.process().waitFor(30, TimeUnit.SECONDS));
        }
        assertEquals(RECORDS, acknowledged.size());

        Path partitionDir = data.resolve(TOPIC + "-0");
        List<String> files;
        try (Stream<Path> s = Files.list(partitionDir)) {
            files = s.map(p -> p.getFileName().toString()).sorted().toList();
        }
        long segments = files.stream().filter(f -> f.endsWith(".log")).count();
        assertTrue("several segments expected: " + files, segments >= 3);
        for (String f : files) {
            if (f.endsWith(".log") || f.endsWith(".index") || f.endsWith(".timeindex")) {
                assertTrue("Kafka's 20-digit base-offset names: " + f, f.matches("\\d{20}\\.(log|index|timeindex)"));
            }
        }
        assertTrue(files.contains("00000000000000000000.log"));

        try (BrokerProcess again = BrokerProcess.start(work, data, port, segment)) {
            again.awaitListening(Duration.ofSeconds(120));
            List<ConsumerRecord<String, String>> read = readAll(again.bootstrap(), RECORDS);
            assertEquals(RECORDS, read.size());
            for (int i = 0; i < RECORDS; i++) {
                assertEquals((long) i, read.get(i).offset());
                assertEquals(value(i), read.get(i).value());
            }
            assertEquals(0, again.terminate(Duration.ofSeconds(10)));
        }
    }

    @Test
    public void aSegmentWhoseLastBatchWasCutInHalfIsRecovered() throws Exception {
        Path work = tmp.newFolder("work2").toPath();
        Path data = tmp.newFolder("data2").toPath();
        int port = BrokerProcess.freePort();
        int written = 1_000;
        try (BrokerProcess broker = BrokerProcess.start(work, data, port)) {
            broker.awaitListening(Duration.ofSeconds(60));
            createTopic(broker.bootstrap());
            try (KafkaProducer<String, String> producer = producer(broker.bootstrap())) {
                // One batch per send: linger 0 and a flush after each record.
                for (int i = 0; i < written; i++) {
                    producer.send(new ProducerRecord<>(TOPIC, 0, "k" + i, value(i))).get(30, TimeUnit.SECONDS);
                }
            }
            broker.process().destroyForcibly();
            assertTrue(broker.process().waitFor(30, TimeUnit.SECONDS));
        }
        Path log = data.resolve(TOPIC + "-0").resolve("00000000000000000000.log");
        long size = Files.size(log);
        // Each record is its own batch of the same size: cut the last one in half.
        long batch = size / written;
        try (FileChannel ch = FileChannel.open(log, StandardOpenOption.WRITE)) {
            ch.truncate(size - batch / 2);
        }
        try (BrokerProcess again = BrokerProcess.start(work, data, port)) {
            again.awaitListening(Duration.ofSeconds(60));
            List<ConsumerRecord<String, String>> read = readAll(again.bootstrap(), written - 1);
            assertEquals("everything before the torn batch, nothing invented", written - 1, read.size());
            for (int i = 0; i < written - 1; i++) {
                assertEquals(value(i), read.get(i).value());
            }
            try (Admin admin = admin(again.bootstrap())) {
                long end = admin.listOffsets(Map.of(new TopicPartition(TOPIC, 0),
                        org.apache.kafka.clients.admin.OffsetSpec.latest())).all().get(30, TimeUnit.SECONDS)
                        .get(new TopicPartition(TOPIC, 0)).offset();
                assertEquals(written - 1, end);
            }
            assertEquals(0, again.terminate(Duration.ofSeconds(10)));
        }
    }

    private static String value(int i) {
        return String.format("value-%08d-%s", i, "x".repeat(64));
    }

    private static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap));
    }

    private static void createTopic(String bootstrap) throws Exception {
        try (Admin admin = admin(bootstrap)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, 1, (short) 1))).all().get(30, TimeUnit.SECONDS);
        }
    }

    private static KafkaProducer<String, String> producer(String bootstrap) {
        return Clients.producer(bootstrap, Map.of(ProducerConfig.ACKS_CONFIG, "all", ProducerConfig.LINGER_MS_CONFIG, 0));
    }

    private static List<ConsumerRecord<String, String>> readAll(String bootstrap, int expected) throws IOException {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, false);
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> consumer = new KafkaConsumer<>(p, new StringDeserializer(),
                new StringDeserializer())) {
            TopicPartition tp = new TopicPartition(TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(500)).forEach(out::add);
            }
            // One more poll: nothing beyond what was acknowledged may appear.
            consumer.poll(Duration.ofMillis(500)).forEach(out::add);
        }
        return out;
    }
}
