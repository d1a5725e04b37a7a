package io.cairn.itests.rest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The REST proxy in the built distribution, driven over HTTP as a Confluent REST Proxy v2 client
 * would, and checked with Kafka's own clients: placement of keyed records against the Java
 * client's partitioner, JSON and binary round trips, and the proxy's error bodies.
 */
public class RestProxyIT {

    private static final String BINARY = "application/vnd.kafka.binary.v2+json";
    private static final String JSON = "application/vnd.kafka.json.v2+json";
    private static final Pattern OFFSET = Pattern.compile(
            "\\{\"partition\":(\\d+|null),\"offset\":(\\d+|null),\"error_code\":(\\d+|null),\"error\":(null|\"[^\"]*\")\\}");

    private static RestBroker broker;
    private static Admin admin;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeClass
    public static void start() throws Exception {
        Path work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "rest-proxy-");
        broker = RestBroker.start(work);
        broker.awaitListening(Duration.ofSeconds(60));
        admin = broker.admin();
    }

    @AfterClass
    public static void stop() throws Exception {
        if (admin != null) {
            admin.close();
        }
        if (broker != null) {
            broker.close();
        }
    }

    private static void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }

    private static HttpResponse<String> post(String path, String contentType, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(broker.http() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(broker.http() + path)).timeout(Duration.ofSeconds(30))
                .GET().build();
        return HTTP.send(request, HttpResponse.BodyHandlers.ofString());
    }

    /** The (partition, offset) pairs of a successful produce response, in record order. */
    private static List<long[]> offsets(HttpResponse<String> response) {
        assertEquals(response.body(), 200, response.statusCode());
        assertTrue(response.body(), response.body().endsWith(",\"key_schema_id\":null,\"value_schema_id\":null}"));
        List<long[]> out = new ArrayList<>();
        Matcher m = OFFSET.matcher(response.body());
        while (m.find()) {
            assertEquals(response.body(), "null", m.group(3));
            out.add(new long[] {Long.parseLong(m.group(1)), Long.parseLong(m.group(2))});
        }
        return out;
    }

    private static String b64(byte[] b) {
        return b == null ? "null" : "\"" + Base64.getEncoder().encodeToString(b) + "\"";
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(String topic, int partitions, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < partitions; i++) {
                tps.add(new TopicPartition(topic, i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
        }
        assertEquals(expected, out.size());
        return out;
    }

    /** Acceptance: 10,000 random keys land where kafka-clients' partitioner puts them. */
    @Test
    public void keyedRecordsLandWhereKafkaClientsPutThem() throws Exception {
        int partitions = 12;
        createTopic("rest-keys", partitions);
        Random random = new Random(20261121);
        int checked = 0;
        for (int request = 0; request < 20; request++) {
            List<byte[]> keys = new ArrayList<>();
            StringBuilder body = new StringBuilder("{\"records\":[");
            for (int i = 0; i < 500; i++) {
                byte[] key = new byte[random.nextInt(40)]; // empty keys included: they are keys
                random.nextBytes(key);
                keys.add(key);
                body.append(i == 0 ? "" : ",").append("{\"key\":").append(b64(key)).append(",\"value\":")
                        .append(b64(("v" + i).getBytes(StandardCharsets.UTF_8))).append('}');
            }
            body.append("]}");
            List<long[]> placed = offsets(post("/topics/rest-keys", BINARY, body.toString()));
            assertEquals(keys.size(), placed.size());
            for (int i = 0; i < keys.size(); i++) {
                assertEquals("partition of key " + i + " in request " + request,
                        BuiltInPartitioner.partitionForKey(keys.get(i), partitions), placed.get(i)[0]);
                checked++;
            }
        }
        assertEquals(10_000, checked);
    }

    @Test
    public void binaryRecordsRoundTrip() throws Exception {
        createTopic("rest-binary", 3);
        Random random = new Random(7);
        List<byte[][]> sent = new ArrayList<>();
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 50; i++) {
            byte[] key = i % 5 == 0 ? null : new byte[1 + random.nextInt(20)];
            byte[] value = i % 7 == 0 ? null : new byte[random.nextInt(2000)];
            if (key != null) {
                random.nextBytes(key);
            }
            if (value != null) {
                random.nextBytes(value);
            }
            sent.add(new byte[][] {key, value});
            body.append(i == 0 ? "" : ",").append("{\"key\":").append(b64(key)).append(",\"value\":").append(b64(value));
            if (i % 10 == 3) {
                body.append(",\"partition\":2");
            }
            body.append('}');
        }
        body.append("]}");
        List<long[]> placed = offsets(post("/topics/rest-binary", BINARY, body.toString()));
        assertEquals(50, placed.size());
        List<ConsumerRecord<byte[], byte[]>> read = readAll("rest-binary", 3, 50);
        for (int i = 0; i < 50; i++) {
            long partition = placed.get(i)[0];
            long offset = placed.get(i)[1];
            if (i % 10 == 3) {
                assertEquals(2, partition);
            }
            ConsumerRecord<byte[], byte[]> r = read.stream().filter(c -> c.partition() == partition && c.offset() == offset)
                    .findFirst().orElseThrow(() -> new AssertionError("record at " + partition + "/" + offset + " not read"));
            assertArrayEquals(sent.get(i)[0], r.key());
            assertArrayEquals(sent.get(i)[1], r.value());
        }
    }

    @Test
    public void jsonRecordsRoundTripAsCompactJsonText() throws Exception {
        createTopic("rest-json", 2);
        String body = "{\"records\":[{\"key\":{\"id\": 1},\"value\":{\"a\": [1, 2.50, \"x\\\"y\", true], \"b\": null}},"
                + "{\"value\":\"just a string\",\"partition\":1},{\"key\":\"k\",\"value\":null}]}";
        List<long[]> placed = offsets(post("/topics/rest-json", JSON, body));
        assertEquals(3, placed.size());
        assertEquals(1, placed.get(1)[0]);
        Map<String, String[]> expected = Map.of(
                placed.get(0)[0] + "/" + placed.get(0)[1], new String[] {"{\"id\":1}", "{\"a\":[1,2.50,\"x\\\"y\",true],\"b\":null}"},
                placed.get(1)[0] + "/" + placed.get(1)[1], new String[] {null, "\"just a string\""},
                placed.get(2)[0] + "/" + placed.get(2)[1], new String[] {"\"k\"", null});
        for (ConsumerRecord<byte[], byte[]> r : readAll("rest-json", 2, 3)) {
            String[] want = expected.get(r.partition() + "/" + r.offset());
            assertEquals(want[0], r.key() == null ? null : new String(r.key(), StandardCharsets.UTF_8));
            assertEquals(want[1], r.value() == null ? null : new String(r.value(), StandardCharsets.UTF_8));
        }
    }

    @Test
    public void badInputGetsTheProxysErrorBodies() throws Exception {
        createTopic("rest-errors", 2);
        HttpResponse<String> malformed = post("/topics/rest-errors", JSON, "{\"records\":[{\"value\":1,}]}");
        assertEquals(malformed.body(), 422, malformed.statusCode());
        assertTrue(malformed.body(), malformed.body().startsWith("{\"error_code\":42201,\"message\":\"Malformed JSON"));

        HttpResponse<String> notRecords = post("/topics/rest-errors", BINARY, "{\"value\":\"AA==\"}");
        assertEquals(422, notRecords.statusCode());
        assertTrue(notRecords.body(), notRecords.body().startsWith("{\"error_code\":42201,"));

        HttpResponse<String> badBase64 = post("/topics/rest-errors", BINARY, "{\"records\":[{\"value\":\"***\"}]}");
        assertEquals(422, badBase64.statusCode());

        HttpResponse<String> wrongType = post("/topics/rest-errors", "application/json", "{\"records\":[{\"value\":1}]}");
        assertEquals(415, wrongType.statusCode());
        assertTrue(wrongType.body(), wrongType.body().startsWith("{\"error_code\":415,"));

        HttpResponse<String> noSuchPartition = post("/topics/rest-errors", JSON, "{\"records\":[{\"value\":1,\"partition\":7}]}");
        assertEquals(404, noSuchPartition.statusCode());
        assertEquals("{\"error_code\":40402,\"message\":\"Partition not found.\"}", noSuchPartition.body());

        HttpResponse<String> unknownTopic = get("/topics/no-such-topic");
        assertEquals(404, unknownTopic.statusCode());
        assertEquals("{\"error_code\":40401,\"message\":\"Topic not found.\"}", unknownTopic.body());

        HttpResponse<String> badName = post("/topics/bad%20name!", JSON, "{\"records\":[{\"value\":1}]}");
        assertEquals(badName.body(), 404, badName.statusCode());
        assertTrue(badName.body(), badName.body().startsWith("{\"error_code\":40401,"));
    }

    @Test
    public void topicsAreListedAndDescribed() throws Exception {
        createTopic("rest-meta", 3);
        HttpResponse<String> list = get("/topics");
        assertEquals(200, list.statusCode());
        assertTrue(list.body(), list.body().contains("\"rest-meta\""));
        HttpResponse<String> topic = get("/topics/rest-meta");
        assertEquals(200, topic.statusCode());
        assertTrue(topic.body(), topic.body().startsWith("{\"name\":\"rest-meta\",\"configs\":{"));
        assertTrue(topic.body(), topic.body().contains("\"cairn.partitioner\":\"keyhash\""));
        for (int p = 0; p < 3; p++) {
            assertTrue(topic.body(), topic.body().contains("{\"partition\":" + p + ",\"leader\":1,\"replicas\":[{\"broker\":1,\"leader\":true,\"in_sync\":true}]}"));
        }
    }
}
