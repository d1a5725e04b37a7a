package io.cairn.itests;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * kcat (librdkafka 2.x) against the built distribution: {@code kcat -P} and {@code kcat -C} with
 * every codec, keys, headers, null and empty keys and values, 1 MiB records and a refusal; records
 * cross between kcat and kafka-clients 4.4 in both directions.
 */
public class KcatIT {

    @ClassRule
    public static TemporaryFolder tmp = new TemporaryFolder();

    private static BrokerProcess broker;
    private static Admin admin;

    /** What a kcat run printed and how it ended. */
    private record Run(int exitCode, String output) {
    }

    @BeforeClass
    public static void startBroker() throws Exception {
        broker = BrokerProcess.start(tmp.newFolder("work").toPath(), tmp.newFolder("data").toPath(),
                BrokerProcess.freePort());
        broker.awaitListening(Duration.ofSeconds(60));
        admin = Clients.admin(broker.bootstrap());
    }

    @AfterClass
    public static void stopBroker() throws Exception {
        if (admin != null) {
            admin.close(Duration.ofSeconds(5));
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static void createTopic(String name, Map<String, String> configs) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, 1, (short) 1).configs(configs))).all().get(30, TimeUnit.SECONDS);
    }

    /** Runs kcat against the broker with {@code stdin} as its input; bounded to 60 s. */
    private static Run kcat(byte[] stdin, String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kcat", "-b", broker.bootstrap()));
        command.addAll(List.of(args));
        Path output = tmp.newFile().toPath();
        Process process = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(output.toFile())
                .start();
        try (OutputStream in = process.getOutputStream()) {
            in.write(stdin);
        }
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("kcat " + args[0] + " did not finish:\n" + Files.readString(output));
        }
        return new Run(process.exitValue(), Files.readString(output, StandardCharsets.UTF_8));
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    public void kcatProducesAndConsumesEveryCodecWithKeysHeadersAndNulls() throws Exception {
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            String topic = "kcat-" + codec;
            createTopic(topic, Map.of());
            // -K: splits key and value; -Z sends an empty key or value as null.
            Run produced = kcat(utf8("k1:v1\n:no key\nk3:\nk4:v4\n"), "-P", "-t", topic, "-K:", "-Z", "-z", codec,
                    "-H", "origin=kcat", "-H", "codec=" + codec);
            assertEquals(produced.output(), 0, produced.exitCode());

            Run consumed = kcat(new byte[0], "-C", "-t", topic, "-o", "beginning", "-e", "-q",
                    "-f", "%o|%k|%K|%s|%S|%h\\n");
            assertEquals(consumed.output(), 0, consumed.exitCode());
            assertEquals(codec, String.join("\n",
                    "0|k1|2|v1|2|origin=kcat,codec=" + codec,
                    "1||-1|no key|6|origin=kcat,codec=" + codec,
                    "2|k3|2||-1|origin=kcat,codec=" + codec,
                    "3|k4|2|v4|2|origin=kcat,codec=" + codec) + "\n", consumed.output());

            // kafka-clients reads what librdkafka wrote, nulls as nulls.
            List<ConsumerRecord<byte[], byte[]>> records = KafkaClientsIT.readAll(broker.bootstrap(),
                    new TopicPartition(topic, 0), 4);
            assertEquals(4, records.size());
            assertNull(records.get(1).key());
            assertNull(records.get(2).value());
            assertEquals("kcat", new String(records.get(0).headers().lastHeader("origin").value(),
                    StandardCharsets.UTF_8));
        }
    }

    @Test
    public void kcatReadsWhatKafkaClientsWrote() throws Exception {
        createTopic("from-java", Map.of());
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(Map.of(
                ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap(),
                ProducerConfig.COMPRESSION_TYPE_CONFIG, "zstd",
                ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, "org.apache.kafka.common.serialization.ByteArraySerializer",
                ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG,
                "org.apache.kafka.common.serialization.ByteArraySerializer"))) {
            for (int i = 0; i < 3; i++) {
                producer.send(new ProducerRecord<>("from-java", 0, 1_650_000_000_000L + i, utf8("k" + i),
                        utf8("v" + i), List.of(new RecordHeader("n", utf8(String.valueOf(i))))));
            }
            producer.flush();
        }
        Run consumed = kcat(new byte[0], "-C", "-t", "from-java", "-o", "beginning", "-e", "-q",
                "-f", "%k=%s %T %h\\n");
        assertEquals(consumed.output(), 0, consumed.exitCode());
        assertEquals("k0=v0 1650000000000 n=0\nk1=v1 1650000000001 n=1\nk2=v2 1650000000002 n=2\n",
                consumed.output());

        Run metadata = kcat(new byte[0], "-L", "-t", "from-java");
        assertTrue(metadata.output(), metadata.output().contains("topic \"from-java\" with 1 partitions"));
        assertTrue(metadata.output(), metadata.output().contains("partition 0, leader 1"));
    }

    @Test
    public void aOneMebibyteRecordThroughKcatAndARefusal() throws Exception {
        createTopic("kcat-large", Map.of("max.message.bytes", String.valueOf(2 * 1024 * 1024)));
        createTopic("kcat-small", Map.of("max.message.bytes", "1000"));
        byte[] value = new byte[1024 * 1024];
        Arrays.fill(value, (byte) 'z');
        byte[] line = new byte[value.length + 3];
        System.arraycopy(utf8("k:"), 0, line, 0, 2);
        System.arraycopy(value, 0, line, 2, value.length);
        line[line.length - 1] = '\n';

        Run produced = kcat(line, "-P", "-t", "kcat-large", "-K:", "-X", "message.max.bytes=4000000");
        assertEquals(produced.output(), 0, produced.exitCode());
        List<ConsumerRecord<byte[], byte[]>> records = KafkaClientsIT.readAll(broker.bootstrap(),
                new TopicPartition("kcat-large", 0), 1);
        assertArrayEquals(value, records.get(0).value());
        Run consumed = kcat(new byte[0], "-C", "-t", "kcat-large", "-o", "beginning", "-e", "-q", "-f", "%k %S\\n");
        assertEquals("k " + value.length + "\n", consumed.output());

        Run refused = kcat(utf8("k:" + "x".repeat(5000) + "\n"), "-P", "-t", "kcat-small", "-K:");
        assertNotEquals(refused.output(), 0, refused.exitCode());
        assertTrue(refused.output(), refused.output().contains("Message size too large"));
    }
}
