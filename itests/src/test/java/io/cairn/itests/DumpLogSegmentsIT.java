package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * An outside oracle for the on-disk format: Apache Kafka's own {@code kafka.tools.DumpLogSegments}
 * (from Kafka 3.9.0's broker jar, run in a child JVM) reads the segments, offset indexes and time
 * indexes that Cairn wrote, record by record, and finds nothing wrong.
 */
public class DumpLogSegmentsIT {

    private static final int PER_CODEC = 1_500;
    private static final List<String> CODECS = List.of("none", "gzip", "snappy", "lz4", "zstd");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    @Test
    public void kafkasDumpLogSegmentsReadsEverySegmentAndIndexCairnWrote() throws Exception {
        Path data = tmp.newFolder("data").toPath();
        int port = BrokerProcess.freePort();
        try (BrokerProcess broker = BrokerProcess.start(tmp.newFolder("work").toPath(), data, port);
                Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + port))) {
            broker.awaitListening(Duration.ofSeconds(60));
            // 64 KiB segments and an index entry every 1 KiB: many segments, non-trivial indexes.
            admin.createTopics(List.of(new NewTopic("dump", 1, (short) 1).configs(
                    Map.of("segment.bytes", "65536", "index.interval.bytes", "1024"))))
                    .all().get(30, TimeUnit.SECONDS);
            for (String codec : CODECS) {
                Properties p = new Properties();
                p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
                p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
                p.put(ProducerConfig.BATCH_SIZE_CONFIG, 8192);
                try (KafkaProducer<String, String> producer = new KafkaProducer<>(p, new StringSerializer(),
                        new StringSerializer())) {
                    for (int i = 0; i < PER_CODEC; i++) {
                        producer.send(new ProducerRecord<>("dump", 0, "key-" + i, codec + "-" + i + "-" + "v".repeat(i % 200)));
                    }
                    producer.flush();
                }
            }
            assertEquals(0, broker.terminate(Duration.ofSeconds(10)));
        }

        Path dir = data.resolve("dump-0");
        List<String> logs = new ArrayList<>();
        List<String> indexes = new ArrayList<>();
        try (Stream<Path> s = Files.list(dir)) {
            for (Path f : s.sorted().toList()) {
                String name = f.getFileName().toString();
                if (name.endsWith(".log")) {
                    logs.add(f.toString());
                } else if (name.endsWith(".index") || name.endsWith(".timeindex")) {
                    indexes.add(f.toString());
                }
            }
        }
        assertTrue("several segments: " + logs, logs.size() >= 3);

        String records = dump("--deep-iteration", "--files", String.join(",", logs));
        long seen = records.lines().filter(l -> l.startsWith("| offset:")).count();
        assertEquals("every record, decompressed by Kafka's own classes", (long) PER_CODEC * CODECS.size(), seen);
        for (String codec : CODECS) {
            String expected = "compresscodec: " + codec;
            assertTrue("batches stored as " + codec, records.contains(expected));
        }
        assertFalse(records, records.contains("Exception"));

        String check = dump("--index-sanity-check", "--files", String.join(",", indexes));
        assertFalse("Kafka found index problems:\n" + check, check.contains("Mismatches") || check.contains("failed")
                || check.contains("Exception"));
        assertTrue(check, check.contains("passed sanity check"));
    }

    /** Runs Kafka's DumpLogSegments; fails the test on a non-zero exit. */
    private String dump(String... args) throws Exception {
        Path lib = Path.of(System.getProperty("cairn.kafka39.tools", "kafka-tools-39/target/lib"));
        assertTrue("Kafka 3.9 tools classpath missing at " + lib, Files.isDirectory(lib));
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx512m", "-cp", lib.toAbsolutePath() + File.separator + "*", "kafka.tools.DumpLogSegments"));
        cmd.addAll(List.of(args));
        Path out = tmp.newFile().toPath();
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        assertTrue("DumpLogSegments did not finish", p.waitFor(120, TimeUnit.SECONDS));
        String text = Files.readString(out, StandardCharsets.UTF_8);
        assertEquals("DumpLogSegments exit status:\n" + text, 0, p.exitValue());
        return text;
    }
}
