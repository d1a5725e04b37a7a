package io.cairn.itests.rest;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
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
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ConsumerGroupDescription;
import org.apache.kafka.clients.admin.MemberDescription;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.GroupState;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

import io.cairn.itests.KafkaTool;

/**
 * The REST proxy's consume API (Confluent REST Proxy v2) in the built distribution, driven over
 * HTTP and checked against Kafka's own clients: REST produce then REST consume in both formats,
 * records Kafka producers wrote compressed with every codec, two REST instances sharing a group,
 * commits shared with {@code kafka-clients} consumers and {@code Admin}, manual assignment and
 * seeks, the error bodies, heartbeats and instance expiry, and the console tools.
 *
 * <p>The broker runs with {@code consumer.session.timeout.ms=6000} and
 * {@code consumer.instance.timeout.ms=20000}, so that expiry and heartbeats can be observed in
 * seconds; every other test keeps its instances busy.
 */
public class RestConsumerIT {

    private static final String BINARY = "application/vnd.kafka.binary.v2+json";
    private static final String JSON = "application/vnd.kafka.json.v2+json";
    private static final String V2 = "application/vnd.kafka.v2+json";
    private static final int SESSION_TIMEOUT_MS = 6_000;
    private static final int INSTANCE_TIMEOUT_MS = 20_000;
    private static final Duration WAIT = Duration.ofSeconds(60);

    private static RestBroker broker;
    private static Admin admin;
    private static Path work;
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

    @BeforeClass
    public static void start() throws Exception {
        work = Files.createTempDirectory(Files.createDirectories(Path.of("target")), "rest-consumer-");
        broker = RestBroker.start(work, "consumer.session.timeout.ms=" + SESSION_TIMEOUT_MS,
                "consumer.instance.timeout.ms=" + INSTANCE_TIMEOUT_MS);
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

    // ------------------------------------------------------------------ HTTP helpers

    private static HttpResponse<String> send(String method, String path, String body, String accept) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(broker.http() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", V2).method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (accept != null) {
            b.header("Accept", accept);
        }
        return HTTP.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static void expect(int status, HttpResponse<String> r) {
        assertEquals(r.request().method() + " " + r.uri() + ": " + r.body(), status, r.statusCode());
    }

    private static String instance(String group, String name) {
        return "/consumers/" + group + "/instances/" + name;
    }

    private static String create(String group, String name, String format, String reset, boolean autoCommit) throws Exception {
        HttpResponse<String> r = send("POST", "/consumers/" + group, "{\"name\":\"" + name + "\",\"format\":\"" + format
                + "\",\"auto.offset.reset\":\"" + reset + "\",\"auto.commit.enable\":\"" + autoCommit + "\"}", null);
        expect(200, r);
        assertEquals("{\"instance_id\":\"" + name + "\",\"base_uri\":\"" + broker.http() + instance(group, name) + "\"}", r.body());
        return instance(group, name);
    }

    private static void subscribe(String instance, String... topics) throws Exception {
        String list = java.util.Arrays.stream(topics).map(t -> "\"" + t + "\"").collect(Collectors.joining(","));
        expect(204, send("POST", instance + "/subscription", "{\"topics\":[" + list + "]}", null));
    }

    private static List<Map<String, Object>> records(String instance, String accept, int timeoutMs) throws Exception {
        HttpResponse<String> r = send("GET", instance + "/records?timeout=" + timeoutMs, null, accept);
        expect(200, r);
        assertEquals(accept, r.headers().firstValue("Content-Type").orElse(null));
        return JsonText.objects(r.body());
    }

    /** GETs records until {@code expected} arrived, within {@link #WAIT}; fails on more. */
    private static List<Map<String, Object>> readUntil(String instance, String accept, int expected) throws Exception {
        List<Map<String, Object>> out = new ArrayList<>();
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (out.size() < expected && System.nanoTime() < deadline) {
            out.addAll(records(instance, accept, 1000));
        }
        assertEquals("records read by " + instance, expected, out.size());
        return out;
    }

    private static List<String> assignment(String instance) throws Exception {
        HttpResponse<String> r = send("GET", instance + "/assignments", null, null);
        expect(200, r);
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) JsonText.object(r.body()).get("partitions")) {
            Map<?, ?> p = (Map<?, ?>) o;
            out.add(p.get("topic") + "-" + ((JsonText.Num) p.get("partition")).asLong());
        }
        return out;
    }

    private static String partitions(String topic, int... ps) {
        return "{\"partitions\":[" + java.util.Arrays.stream(ps).mapToObj(p -> "{\"topic\":\"" + topic + "\",\"partition\":" + p + "}")
                .collect(Collectors.joining(",")) + "]}";
    }

    /** Produces over REST; returns (partition, offset) per record, in order. */
    private static List<long[]> produce(String path, String contentType, String body) throws Exception {
        HttpRequest request = HttpRequest.newBuilder(URI.create(broker.http() + path)).timeout(Duration.ofSeconds(60))
                .header("Content-Type", contentType).POST(HttpRequest.BodyPublishers.ofString(body)).build();
        HttpResponse<String> r = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        expect(200, r);
        List<long[]> out = new ArrayList<>();
        for (Object o : (List<?>) JsonText.object(r.body()).get("offsets")) {
            Map<?, ?> m = (Map<?, ?>) o;
            assertNull(r.body(), m.get("error_code"));
            out.add(new long[] {((JsonText.Num) m.get("partition")).asLong(), ((JsonText.Num) m.get("offset")).asLong()});
        }
        return out;
    }

    private static void createTopic(String name, int partitions) throws Exception {
        admin.createTopics(List.of(new NewTopic(name, partitions, (short) 1))).all().get();
    }

    private static String b64(byte[] b) {
        return b == null ? "null" : "\"" + Base64.getEncoder().encodeToString(b) + "\"";
    }

    private static byte[] unb64(Object v) {
        return v == null ? null : Base64.getDecoder().decode((String) v);
    }

    private static String at(Map<String, Object> record) {
        return ((JsonText.Num) record.get("partition")).asLong() + "/" + ((JsonText.Num) record.get("offset")).asLong();
    }

    private static long offsetOf(Map<String, Object> record) {
        return ((JsonText.Num) record.get("offset")).asLong();
    }

    private static int partitionOf(Map<String, Object> record) {
        return (int) ((JsonText.Num) record.get("partition")).asLong();
    }

    // ------------------------------------------------------------------ tests

    /** Keyed (keyhash), keyless and explicit-partition records produced over REST come back whole over REST. */
    @Test
    public void binaryRecordsProducedOverRestAreConsumedOverRest() throws Exception {
        createTopic("rc-binary", 3);
        Random random = new Random(20261122);
        Map<String, byte[][]> sent = new HashMap<>();
        List<byte[][]> records = new ArrayList<>();
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 90; i++) {
            byte[] key = i % 3 == 1 ? null : new byte[random.nextInt(20)];
            byte[] value = i % 11 == 0 ? null : new byte[random.nextInt(500)];
            if (key != null) {
                random.nextBytes(key);
            }
            if (value != null) {
                random.nextBytes(value);
            }
            records.add(new byte[][] {key, value});
            body.append(i == 0 ? "" : ",").append("{\"key\":").append(b64(key)).append(",\"value\":").append(b64(value))
                    .append(i % 3 == 2 ? ",\"partition\":2" : "").append('}');
        }
        List<long[]> placed = produce("/topics/rc-binary", BINARY, body.append("]}").toString());
        for (int i = 0; i < placed.size(); i++) {
            sent.put(placed.get(i)[0] + "/" + placed.get(i)[1], records.get(i));
            if (i % 3 == 2) {
                assertEquals(2, placed.get(i)[0]);
            }
        }

        String consumer = create("rc-binary-g", "reader", "binary", "earliest", false);
        subscribe(consumer, "rc-binary");
        List<Map<String, Object>> read = readUntil(consumer, BINARY, 90);
        Map<Integer, Long> lastOffset = new HashMap<>();
        Set<String> seen = new HashSet<>();
        for (Map<String, Object> r : read) {
            assertEquals("rc-binary", r.get("topic"));
            assertTrue("read twice: " + at(r), seen.add(at(r)));
            byte[][] want = sent.get(at(r));
            assertNotNull("not produced: " + at(r), want);
            assertArrayEquals(want[0], unb64(r.get("key")));
            assertArrayEquals(want[1], unb64(r.get("value")));
            Long before = lastOffset.put(partitionOf(r), offsetOf(r));
            assertTrue("offsets in order within a partition", before == null || before < offsetOf(r));
        }
        assertEquals(List.of(), records(consumer, BINARY, 200));
        expect(204, send("DELETE", consumer, null, null));
    }

    /** JSON values come back as the JSON they were; a binary instance sees the stored compact JSON text. */
    @Test
    public void jsonRecordsAreConsumedAsJson() throws Exception {
        createTopic("rc-json", 2);
        String[][] records = {
            {"{\"id\":1}", "{\"a\":[1,2.50,\"x\\\"y\",true],\"b\":null}"},
            {null, "\"just a string\""},
            {"\"k\"", null},
            {"7", "[1,{\"deep\":[[],{}]},-3.0e10]"},
        };
        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < records.length; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\":").append(records[i][0] == null ? "null" : records[i][0])
                    .append(",\"value\":").append(records[i][1] == null ? "null" : records[i][1]).append('}');
        }
        List<long[]> placed = produce("/topics/rc-json", JSON, body.append("]}").toString());
        Map<String, String[]> expected = new HashMap<>();
        for (int i = 0; i < records.length; i++) {
            expected.put(placed.get(i)[0] + "/" + placed.get(i)[1], records[i]);
        }

        String json = create("rc-json-g", "as-json", "json", "earliest", false);
        subscribe(json, "rc-json");
        for (Map<String, Object> r : readUntil(json, JSON, records.length)) {
            String[] want = expected.get(at(r));
            assertEquals(want[0] == null ? "null" : want[0], JsonText.write(r.get("key")));
            assertEquals(want[1] == null ? "null" : want[1], JsonText.write(r.get("value")));
        }

        String binary = create("rc-json-g2", "as-bytes", "binary", "earliest", false);
        subscribe(binary, "rc-json");
        for (Map<String, Object> r : readUntil(binary, BINARY, records.length)) {
            String[] want = expected.get(at(r));
            assertEquals(want[0], r.get("key") == null ? null : new String(unb64(r.get("key")), StandardCharsets.UTF_8));
            assertEquals(want[1], r.get("value") == null ? null : new String(unb64(r.get("value")), StandardCharsets.UTF_8));
        }
        expect(204, send("DELETE", json, null, null));
        expect(204, send("DELETE", binary, null, null));
    }

    /** Batches a Kafka producer compressed with each codec are decoded by the proxy, inside OSGi, with the codec bundles. */
    @Test
    public void recordsKafkaProducersCompressedAreConsumedInEveryCodec() throws Exception {
        for (String codec : List.of("none", "gzip", "snappy", "lz4", "zstd")) {
            String topic = "rc-codec-" + codec;
            createTopic(topic, 1);
            Properties p = new Properties();
            p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, codec);
            p.put(ProducerConfig.LINGER_MS_CONFIG, "50");
            p.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            p.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
            Map<Long, byte[][]> sent = new TreeMap<>();
            try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(p)) {
                List<java.util.concurrent.Future<org.apache.kafka.clients.producer.RecordMetadata>> acks = new ArrayList<>();
                List<byte[][]> order = new ArrayList<>();
                for (int i = 0; i < 300; i++) {
                    byte[] key = ("key-" + i).getBytes(StandardCharsets.UTF_8);
                    byte[] value = ("value " + i + " " + "x".repeat(i % 50)).getBytes(StandardCharsets.UTF_8);
                    order.add(new byte[][] {key, value});
                    acks.add(producer.send(new ProducerRecord<>(topic, 0, key, value)));
                }
                for (int i = 0; i < acks.size(); i++) {
                    sent.put(acks.get(i).get(30, TimeUnit.SECONDS).offset(), order.get(i));
                }
            }
            String consumer = create("rc-codec-g", "codec-" + codec, "binary", "earliest", false);
            expect(204, send("POST", consumer + "/assignments", partitions(topic, 0), null));
            List<Map<String, Object>> read = readUntil(consumer, BINARY, 300);
            for (Map<String, Object> r : read) {
                byte[][] want = sent.get(offsetOf(r));
                assertNotNull(codec + ": offset " + offsetOf(r), want);
                assertArrayEquals(codec, want[0], unb64(r.get("key")));
                assertArrayEquals(codec, want[1], unb64(r.get("value")));
            }
            expect(204, send("DELETE", consumer, null, null));
        }
    }

    /**
     * Two REST instances of one group share four partitions two and two, as Kafka's Admin and
     * Kafka's own {@code kafka-consumer-groups --describe} see them too.
     */
    @Test
    public void twoRestInstancesInOneGroupSplitFourPartitions() throws Exception {
        createTopic("rc-split", 4);
        String a = create("rc-split-g", "a", "binary", "earliest", false);
        String b = create("rc-split-g", "b", "binary", "earliest", false);
        subscribe(a, "rc-split");
        subscribe(b, "rc-split");
        long deadline = System.nanoTime() + WAIT.toNanos();
        List<String> ofA = List.of();
        List<String> ofB = List.of();
        while (System.nanoTime() < deadline) {
            assertEquals(List.of(), records(a, BINARY, 200));
            assertEquals(List.of(), records(b, BINARY, 200));
            ofA = assignment(a);
            ofB = assignment(b);
            if (ofA.size() == 2 && ofB.size() == 2) {
                break;
            }
        }
        assertEquals("a: " + ofA + ", b: " + ofB, 2, ofA.size());
        assertEquals("a: " + ofA + ", b: " + ofB, 2, ofB.size());
        Set<String> all = new TreeSet<>(ofA);
        all.addAll(ofB);
        assertEquals(Set.of("rc-split-0", "rc-split-1", "rc-split-2", "rc-split-3"), all);

        ConsumerGroupDescription group = admin.describeConsumerGroups(List.of("rc-split-g")).all().get().get("rc-split-g");
        assertEquals(GroupState.STABLE, group.groupState());
        assertEquals("range", group.partitionAssignor());
        Map<String, Set<String>> byClient = new HashMap<>();
        for (MemberDescription m : group.members()) {
            byClient.put(m.clientId(), m.assignment().topicPartitions().stream().map(TopicPartition::toString)
                    .collect(Collectors.toCollection(TreeSet::new)));
        }
        assertEquals(Map.of("a", new TreeSet<>(ofA), "b", new TreeSet<>(ofB)), byClient);

        StringBuilder body = new StringBuilder("{\"records\":[");
        for (int i = 0; i < 40; i++) {
            body.append(i == 0 ? "" : ",").append("{\"key\":").append(b64(("k" + i).getBytes(StandardCharsets.UTF_8)))
                    .append(",\"value\":").append(b64(("v" + i).getBytes(StandardCharsets.UTF_8))).append('}');
        }
        produce("/topics/rc-split", BINARY, body.append("]}").toString());
        List<Map<String, Object>> fromA = new ArrayList<>();
        List<Map<String, Object>> fromB = new ArrayList<>();
        deadline = System.nanoTime() + WAIT.toNanos();
        while (fromA.size() + fromB.size() < 40 && System.nanoTime() < deadline) {
            fromA.addAll(records(a, BINARY, 300));
            fromB.addAll(records(b, BINARY, 300));
        }
        assertEquals(40, fromA.size() + fromB.size());
        for (Map<String, Object> r : fromA) {
            assertTrue(ofA.contains("rc-split-" + partitionOf(r)));
        }
        for (Map<String, Object> r : fromB) {
            assertTrue(ofB.contains("rc-split-" + partitionOf(r)));
        }
        Set<String> values = new HashSet<>();
        fromA.forEach(r -> values.add(new String(unb64(r.get("value")), StandardCharsets.UTF_8)));
        fromB.forEach(r -> values.add(new String(unb64(r.get("value")), StandardCharsets.UTF_8)));
        assertEquals("every record exactly once", 40, values.size());

        // Kafka's own kafka-consumer-groups shows the REST members, their partitions and their commits.
        expect(204, send("POST", a + "/offsets", null, null));
        expect(204, send("POST", b + "/offsets", null, null));
        String describe = kafkaConsumerGroups("--describe", "--group", "rc-split-g");
        for (int p = 0; p < 4; p++) {
            String partition = Integer.toString(p);
            List<String> row = describe.lines().map(l -> List.of(l.trim().split("\\s+")))
                    .filter(cols -> cols.size() >= 9 && cols.get(0).equals("rc-split-g") && cols.get(2).equals(partition))
                    .findFirst().orElseThrow(() -> new AssertionError(describe));
            String owner = ofA.contains("rc-split-" + p) ? "a" : "b";
            assertEquals(describe, row.get(3), row.get(4)); // CURRENT-OFFSET = LOG-END-OFFSET
            assertEquals(describe, "0", row.get(5)); // LAG
            assertTrue(describe, row.get(6).startsWith(owner + "-")); // CONSUMER-ID: <client id>-<uuid>
            assertEquals(describe, "/127.0.0.1", row.get(7)); // HOST
            assertEquals(describe, owner, row.get(8)); // CLIENT-ID: the instance name
        }
        expect(204, send("DELETE", a, null, null));
        expect(204, send("DELETE", b, null, null));
    }

    /** Runs Kafka's kafka-consumer-groups (ConsumerGroupCommand, copied to target/kafka-tools by the build) in a child JVM. */
    private static String kafkaConsumerGroups(String... args) throws Exception {
        return KafkaTool.consumerGroups(work, broker.bootstrap(), args).out();
    }

    /**
     * A REST instance and a {@code kafka-clients} consumer (default assignors: range, then
     * cooperative-sticky) in one group split four partitions, whichever of them leads: the Kafka
     * leader reads the proxy's subscription and the proxy reads its assignment, and the other way
     * round. When the Kafka consumer leaves, the REST instance takes all four.
     */
    @Test
    public void restInstancesAndKafkaConsumersShareAGroupWhoeverLeads() throws Exception {
        createTopic("rc-mixed", 4);
        for (boolean restFirst : new boolean[] {true, false}) {
            String group = restFirst ? "rc-mixed-rest-leads" : "rc-mixed-kafka-leads";
            Properties p = new Properties();
            p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
            p.put(ConsumerConfig.CLIENT_ID_CONFIG, "kafka-" + group);
            p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
            p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
            String rest = create(group, "rest", "binary", "earliest", false);
            try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(p)) {
                long deadline = System.nanoTime() + WAIT.toNanos();
                if (restFirst) {
                    subscribe(rest, "rc-mixed");
                    while (assignment(rest).size() < 4 && System.nanoTime() < deadline) {
                        records(rest, BINARY, 100);
                    }
                    assertEquals(4, assignment(rest).size());
                    kafka.subscribe(List.of("rc-mixed"));
                } else {
                    kafka.subscribe(List.of("rc-mixed"));
                    while (kafka.assignment().size() < 4 && System.nanoTime() < deadline) {
                        kafka.poll(Duration.ofMillis(100));
                    }
                    assertEquals(4, kafka.assignment().size());
                    subscribe(rest, "rc-mixed");
                }
                List<String> ofRest = List.of();
                Set<String> ofKafka = Set.of();
                while (System.nanoTime() < deadline) {
                    kafka.poll(Duration.ofMillis(100));
                    records(rest, BINARY, 100);
                    ofRest = assignment(rest);
                    ofKafka = kafka.assignment().stream().map(TopicPartition::toString).collect(Collectors.toCollection(TreeSet::new));
                    if (ofRest.size() == 2 && ofKafka.size() == 2) {
                        break;
                    }
                }
                assertEquals(group + ": rest " + ofRest + ", kafka " + ofKafka, 2, ofRest.size());
                assertEquals(group + ": rest " + ofRest + ", kafka " + ofKafka, 2, ofKafka.size());
                Set<String> all = new TreeSet<>(ofRest);
                all.addAll(ofKafka);
                assertEquals(Set.of("rc-mixed-0", "rc-mixed-1", "rc-mixed-2", "rc-mixed-3"), all);
                ConsumerGroupDescription described = admin.describeConsumerGroups(List.of(group)).all().get().get(group);
                assertEquals("range", described.partitionAssignor());
                Map<String, Set<String>> byClient = new HashMap<>();
                for (MemberDescription m : described.members()) {
                    byClient.put(m.clientId(), m.assignment().topicPartitions().stream().map(TopicPartition::toString)
                            .collect(Collectors.toCollection(TreeSet::new)));
                }
                assertEquals(Map.of("rest", new TreeSet<>(ofRest), "kafka-" + group, ofKafka), byClient);
            }
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (assignment(rest).size() < 4 && System.nanoTime() < deadline) {
                records(rest, BINARY, 100);
            }
            assertEquals("after the Kafka consumer left", 4, assignment(rest).size());
            expect(204, send("DELETE", rest, null, null));
        }
    }

    /** Offsets committed over REST are the group's for Kafka clients and Admin, and the other way round. */
    @Test
    public void commitsAreSharedWithKafkaClientsInBothDirections() throws Exception {
        createTopic("rc-commit", 2);
        for (int p = 0; p < 2; p++) {
            StringBuilder body = new StringBuilder("{\"records\":[");
            for (int i = 0; i < 10; i++) {
                body.append(i == 0 ? "" : ",").append("{\"value\":").append(b64(("p" + p + "-" + i).getBytes(StandardCharsets.UTF_8))).append('}');
            }
            produce("/topics/rc-commit/partitions/" + p, BINARY, body.append("]}").toString());
        }
        TopicPartition p0 = new TopicPartition("rc-commit", 0);
        TopicPartition p1 = new TopicPartition("rc-commit", 1);

        // A REST member reads everything and commits what it consumed (empty body), then an explicit offset.
        String rest = create("rc-commit-g", "rest-1", "binary", "earliest", false);
        subscribe(rest, "rc-commit");
        readUntil(rest, BINARY, 20);
        expect(204, send("POST", rest + "/offsets", null, null));
        HttpResponse<String> committed = send("GET", rest + "/offsets", partitions("rc-commit", 0, 1), null);
        expect(200, committed);
        assertEquals("{\"offsets\":[{\"topic\":\"rc-commit\",\"partition\":0,\"offset\":10,\"metadata\":\"\"},"
                + "{\"topic\":\"rc-commit\",\"partition\":1,\"offset\":10,\"metadata\":\"\"}]}", committed.body());
        assertEquals(Map.of(p0, 10L, p1, 10L), adminOffsets("rc-commit-g"));
        // Confluent's semantics: the offset named is the last one consumed; the next one is committed.
        expect(204, send("POST", rest + "/offsets", "{\"offsets\":[{\"topic\":\"rc-commit\",\"partition\":0,\"offset\":3}]}", null));
        assertEquals(Map.of(p0, 4L, p1, 10L), adminOffsets("rc-commit-g"));
        expect(204, send("DELETE", rest, null, null));

        // A Kafka consumer of the same group continues where REST committed.
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "rc-commit-g");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        List<ConsumerRecord<byte[], byte[]>> got = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(p)) {
            kafka.subscribe(List.of("rc-commit"));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (got.size() < 6 && System.nanoTime() < deadline) {
                kafka.poll(Duration.ofMillis(200)).forEach(got::add);
            }
            ConsumerRecords<byte[], byte[]> more = kafka.poll(Duration.ofSeconds(1));
            assertEquals("nothing beyond the committed offsets", 0, more.count());
            kafka.commitSync(Map.of(p0, new OffsetAndMetadata(7), p1, new OffsetAndMetadata(2)));
        }
        assertEquals(6, got.size());
        for (int i = 0; i < 6; i++) {
            assertEquals(0, got.get(i).partition());
            assertEquals(4 + i, got.get(i).offset());
        }

        // A new REST member sees the Kafka consumer's commits and starts there (not at "latest").
        String rest2 = create("rc-commit-g", "rest-2", "binary", "latest", false);
        committed = send("GET", rest2 + "/offsets", partitions("rc-commit", 0, 1), null);
        assertEquals("{\"offsets\":[{\"topic\":\"rc-commit\",\"partition\":0,\"offset\":7,\"metadata\":\"\"},"
                + "{\"topic\":\"rc-commit\",\"partition\":1,\"offset\":2,\"metadata\":\"\"}]}", committed.body());
        subscribe(rest2, "rc-commit");
        List<Map<String, Object>> read = readUntil(rest2, BINARY, 3 + 8);
        assertEquals(7L, read.stream().filter(r -> partitionOf(r) == 0).mapToLong(RestConsumerIT::offsetOf).min().getAsLong());
        assertEquals(2L, read.stream().filter(r -> partitionOf(r) == 1).mapToLong(RestConsumerIT::offsetOf).min().getAsLong());
        expect(204, send("DELETE", rest2, null, null));
    }

    private static Map<TopicPartition, Long> adminOffsets(String group) throws Exception {
        Map<TopicPartition, Long> out = new HashMap<>();
        admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get()
                .forEach((tp, o) -> out.put(tp, o.offset()));
        return out;
    }

    /** Manual assignment, seeks to an offset, to the end and to the beginning. */
    @Test
    public void manualAssignmentAndSeeks() throws Exception {
        createTopic("rc-seek", 2);
        for (int p = 0; p < 2; p++) {
            StringBuilder body = new StringBuilder("{\"records\":[");
            for (int i = 0; i < 10; i++) {
                body.append(i == 0 ? "" : ",").append("{\"value\":").append(b64(("p" + p + "-" + i).getBytes(StandardCharsets.UTF_8))).append('}');
            }
            produce("/topics/rc-seek/partitions/" + p, BINARY, body.append("]}").toString());
        }
        String c = create("rc-seek-g", "seeker", "binary", "earliest", false);
        expect(204, send("POST", c + "/assignments", partitions("rc-seek", 0, 1), null));
        assertEquals(List.of("rc-seek-0", "rc-seek-1"), assignment(c));
        expect(204, send("POST", c + "/positions/end", partitions("rc-seek", 1), null));
        List<Map<String, Object>> read = readUntil(c, BINARY, 10);
        assertTrue(read.stream().allMatch(r -> partitionOf(r) == 0));

        expect(204, send("POST", c + "/positions", "{\"offsets\":[{\"topic\":\"rc-seek\",\"partition\":0,\"offset\":5}]}", null));
        read = readUntil(c, BINARY, 5);
        assertEquals(List.of(5L, 6L, 7L, 8L, 9L), read.stream().map(RestConsumerIT::offsetOf).toList());

        produce("/topics/rc-seek/partitions/1", BINARY, "{\"records\":[{\"value\":\"bmV3\"}]}");
        read = readUntil(c, BINARY, 1);
        assertEquals("1/10", at(read.get(0)));
        assertEquals("new", new String(unb64(read.get(0).get("value")), StandardCharsets.UTF_8));

        expect(204, send("POST", c + "/positions/beginning", partitions("rc-seek", 1), null));
        read = readUntil(c, BINARY, 11);
        assertEquals(0L, offsetOf(read.get(0)));
        assertTrue(read.stream().allMatch(r -> partitionOf(r) == 1));
        expect(204, send("DELETE", c, null, null));
    }

    /**
     * A group whose Kafka members offer no {@code range} cannot take the REST instance: its
     * {@code GET records} says why (50002 INCONSISTENT_GROUP_PROTOCOL) instead of returning nothing.
     */
    @Test
    public void aGroupWithoutTheRangeProtocolRefusesTheRestInstanceVisibly() throws Exception {
        createTopic("rc-roundrobin", 2);
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, broker.bootstrap());
        p.put(ConsumerConfig.GROUP_ID_CONFIG, "rc-roundrobin-g");
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG, org.apache.kafka.clients.consumer.RoundRobinAssignor.class.getName());
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        try (KafkaConsumer<byte[], byte[]> kafka = new KafkaConsumer<>(p)) {
            kafka.subscribe(List.of("rc-roundrobin"));
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (kafka.assignment().size() < 2 && System.nanoTime() < deadline) {
                kafka.poll(Duration.ofMillis(100));
            }
            assertEquals(2, kafka.assignment().size());
            String rest = create("rc-roundrobin-g", "rest", "binary", "earliest", false);
            subscribe(rest, "rc-roundrobin");
            HttpResponse<String> r = send("GET", rest + "/records?timeout=10000", null, BINARY);
            expect(500, r);
            assertTrue(r.body(), r.body().startsWith("{\"error_code\":50002,\"message\":\"Kafka error: INCONSISTENT_GROUP_PROTOCOL: "
                    + "the consumer cannot join group rc-roundrobin-g"));
            kafka.poll(Duration.ofMillis(100));
            assertEquals("the Kafka member keeps its partitions", 2, kafka.assignment().size());
            expect(204, send("DELETE", rest, null, null));
        }
    }

    /** The proxy's documented error codes. */
    @Test
    public void errorsGetTheProxysErrorBodies() throws Exception {
        createTopic("rc-errors", 1);
        String notFound = "{\"error_code\":40403,\"message\":\"Consumer instance not found.\"}";
        HttpResponse<String> r = send("GET", instance("rc-errors-g", "nobody") + "/records", null, BINARY);
        expect(404, r);
        assertEquals(notFound, r.body());
        r = send("DELETE", instance("rc-errors-g", "nobody"), null, null);
        expect(404, r);
        assertEquals(notFound, r.body());
        r = send("POST", instance("rc-errors-g", "nobody") + "/subscription", "{\"topics\":[\"rc-errors\"]}", null);
        expect(404, r);
        assertEquals(notFound, r.body());

        String c = create("rc-errors-g", "c", "binary", "earliest", false);
        r = send("POST", "/consumers/rc-errors-g", "{\"name\":\"c\"}", null);
        expect(409, r);
        assertEquals("{\"error_code\":40902,\"message\":\"Consumer with specified consumer ID already exists in the specified consumer group.\"}",
                r.body());

        r = send("GET", c + "/records", null, BINARY);
        expect(409, r);
        assertEquals("{\"error_code\":40903,\"message\":\"Illegal state: Consumer is not subscribed to any topics or assigned any partitions\"}",
                r.body());

        r = send("POST", c + "/positions", "{\"offsets\":[{\"topic\":\"rc-errors\",\"partition\":0,\"offset\":1}]}", null);
        expect(409, r);
        assertEquals("{\"error_code\":40903,\"message\":\"Illegal state: No current assignment for partition rc-errors-0\"}", r.body());

        expect(204, send("POST", c + "/assignments", partitions("rc-errors", 0), null));
        r = send("POST", c + "/subscription", "{\"topics\":[\"rc-errors\"]}", null);
        expect(409, r);
        assertTrue(r.body(), r.body().startsWith("{\"error_code\":40903,\"message\":\"Illegal state: Subscription to topics, partitions and pattern"));

        r = send("GET", c + "/records", null, JSON);
        expect(406, r);
        assertEquals("{\"error_code\":40601,\"message\":\"The requested embedded data format does not match the deserializer for this consumer instance\"}",
                r.body());

        r = send("POST", "/consumers/rc-errors-g", "{\"name\":\"avro\",\"format\":\"avro\"}", null);
        expect(422, r);
        assertTrue(r.body(), r.body().startsWith("{\"error_code\":42204,\"message\":\"Invalid consumer configuration: format 'avro'"));

        String d = create("rc-errors-g", "d", "binary", "earliest", false);
        r = send("POST", d + "/subscription", "{\"topics\":[\"rc-errors\"],\"topic_pattern\":\"rc-.*\"}", null);
        expect(422, r);
        assertTrue(r.body(), r.body().startsWith("{\"error_code\":42201,"));

        r = send("POST", d + "/offsets", "{\"offsets\":[{\"topic\":\"rc-errors\",\"partition\":0,\"offset\":\"x\"}]}", null);
        expect(422, r);
        expect(204, send("DELETE", c, null, null));
        expect(204, send("DELETE", d, null, null));
        r = send("GET", c + "/assignments", null, null);
        expect(404, r);
        assertEquals(notFound, r.body());
    }

    /**
     * An idle instance stays a member of its group — same member id, group stable, for more than
     * two session timeouts without any request — because the proxy heartbeats for it; once idle for
     * {@code consumer.instance.timeout.ms} it is destroyed and leaves the group.
     */
    @Test
    public void heartbeatsKeepAnIdleInstanceInItsGroupUntilTheInstanceExpires() throws Exception {
        createTopic("rc-idle", 1);
        String c = create("rc-idle-g", "idle", "binary", "earliest", false);
        subscribe(c, "rc-idle");
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (assignment(c).isEmpty() && System.nanoTime() < deadline) {
            records(c, BINARY, 200);
        }
        assertEquals(List.of("rc-idle-0"), assignment(c));
        long lastCall = System.nanoTime();
        ConsumerGroupDescription first = admin.describeConsumerGroups(List.of("rc-idle-g")).all().get().get("rc-idle-g");
        assertEquals(1, first.members().size());
        String memberId = first.members().iterator().next().consumerId();

        // Observed back to back (each check is a DescribeGroups round trip) for two session timeouts and more.
        long observeUntil = lastCall + TimeUnit.MILLISECONDS.toNanos(2L * SESSION_TIMEOUT_MS + 1_000);
        int checks = 0;
        while (System.nanoTime() < observeUntil) {
            ConsumerGroupDescription now = admin.describeConsumerGroups(List.of("rc-idle-g")).all().get().get("rc-idle-g");
            assertEquals("still the same member after " + TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastCall) + " ms idle",
                    List.of(memberId), now.members().stream().map(MemberDescription::consumerId).toList());
            assertEquals(GroupState.STABLE, now.groupState());
            checks++;
        }
        assertTrue(checks > 10);

        deadline = System.nanoTime() + WAIT.toNanos();
        Collection<MemberDescription> members = first.members();
        while (!members.isEmpty() && System.nanoTime() < deadline) {
            members = admin.describeConsumerGroups(List.of("rc-idle-g")).all().get().get("rc-idle-g").members();
        }
        long idleMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - lastCall);
        assertTrue("the expired instance left its group", members.isEmpty());
        assertTrue("expired after " + idleMs + " ms, not before " + INSTANCE_TIMEOUT_MS, idleMs >= INSTANCE_TIMEOUT_MS);
        HttpResponse<String> r = send("GET", c + "/records", null, BINARY);
        expect(404, r);
        assertEquals("{\"error_code\":40403,\"message\":\"Consumer instance not found.\"}", r.body());
        assertTrue(broker.output(), broker.output().contains("REST consumer instance idle of group rc-idle-g expired"));
    }

    /** bin/cairn-console-consumer reads what bin/cairn-console-producer wrote, and commits it on exit. */
    @Test
    public void consoleConsumerReadsWhatConsoleProducerWrote() throws Exception {
        createTopic("rc-console", 3);
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            lines.add("key-" + (i % 7) + "\tvalue " + i + " ü");
        }
        Path bin = RestBroker.distribution().resolve("bin");
        Process producer = tool(bin.resolve("cairn-console-producer"), String.join("\n", lines) + "\n",
                "--url", broker.http(), "--topic", "rc-console", "--parse-key");
        assertEquals(0, exit(producer));
        assertEquals(30, output(producer).lines().filter(l -> l.matches("partition [0-2] offset \\d+")).count());

        Process consumer = tool(bin.resolve("cairn-console-consumer"), "", "--url", broker.http(), "--topic", "rc-console",
                "--group", "rc-console-g", "--from-beginning", "--max-messages", "30", "--print-key");
        assertEquals(0, exit(consumer));
        List<String> printed = output(consumer).lines().toList();
        assertEquals(new TreeSet<>(lines), new TreeSet<>(printed));
        assertEquals(30, printed.size());
        assertTrue(errors(consumer), errors(consumer).contains("Processed a total of 30 messages"));
        // Within a key, the console consumer prints the records in the order they were produced.
        for (int k = 0; k < 7; k++) {
            String key = "key-" + k + "\t";
            assertEquals(lines.stream().filter(l -> l.startsWith(key)).toList(),
                    printed.stream().filter(l -> l.startsWith(key)).toList());
        }
        Map<TopicPartition, Long> committed = adminOffsets("rc-console-g");
        for (int p = 0; p < 3; p++) {
            TopicPartition tp = new TopicPartition("rc-console", p);
            long end = admin.listOffsets(Map.of(tp, OffsetSpec.latest())).all().get().get(tp).offset();
            assertEquals("committed on exit: " + tp, end, (long) committed.getOrDefault(tp, 0L));
        }

        Process again = tool(bin.resolve("cairn-console-consumer"), "", "--url", broker.http(), "--topic", "rc-console",
                "--group", "rc-console-g", "--from-beginning", "--timeout-ms", "3000");
        assertEquals(0, exit(again));
        assertEquals("everything was committed when the first run ended", "", output(again));
        assertTrue(errors(again), errors(again).contains("Processed a total of 0 messages"));
    }

    private static Process tool(Path script, String stdin, String... args) throws IOException {
        List<String> cmd = new ArrayList<>(List.of("bash", script.toString()));
        cmd.addAll(List.of(args));
        Path out = Files.createTempFile(work, "tool-", ".out");
        Path err = Files.createTempFile(work, "tool-", ".err");
        Process p = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        p.getOutputStream().write(stdin.getBytes(StandardCharsets.UTF_8));
        p.getOutputStream().close();
        OUTPUTS.put(p, new Path[] {out, err});
        return p;
    }

    private static final Map<Process, Path[]> OUTPUTS = new java.util.concurrent.ConcurrentHashMap<>();

    private static int exit(Process p) throws Exception {
        if (!p.waitFor(90, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tool did not finish within 90 s: " + output(p) + errors(p));
        }
        return p.exitValue();
    }

    private static String output(Process p) throws IOException {
        return Files.readString(OUTPUTS.get(p)[0], StandardCharsets.UTF_8);
    }

    private static String errors(Process p) throws IOException {
        return Files.readString(OUTPUTS.get(p)[1], StandardCharsets.UTF_8);
    }
}
