package io.cairn.itests.partitioners;

import static io.cairn.itests.partitioners.DeployableBroker.HEADER_ARRIVED;
import static io.cairn.itests.partitioners.DeployableBroker.HEADER_LEFT;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.internals.BuiltInPartitioner;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Acceptance: removing a custom partitioner while a topic uses it never sends a keyed record to a
 * different partition than its key's.
 *
 * <p>The built distribution runs as a process with the REST proxy; the example header partitioner
 * ({@code cairn.name=header}) is dropped into {@code deploy/} and a 6-partition topic is set to
 * {@code cairn.partitioner=header}. A client thread POSTs keyed records (five per request, 40
 * tenants as keys, each value a unique sequence number) without pause while the jar is deleted
 * from {@code deploy/} and, once requests have failed, dropped back. The broker runs with
 * {@code cairn.plugin.wait.ms=2000}, so that requests made while the partitioner is gone fail after
 * two seconds instead of ten.
 *
 * <p>Asserted: every record the proxy acknowledged is in its key's partition — for keyed records
 * without the header the example places as Kafka's murmur2 does, so that is
 * {@code BuiltInPartitioner.partitionForKey(key, 6)} — at the offset the proxy reported; every
 * record not acknowledged was refused with {@code error_code} 2 (retriable) and a message naming the
 * missing partitioner and the topic, in an HTTP 200 answer; some were refused (the partitioner was
 * really gone, and nothing fell back to another partitioner) and records were acknowledged again
 * after it came back; and reading the whole topic with a {@code kafka-clients} consumer finds
 * exactly the acknowledged records, so nothing landed anywhere else.
 */
public class RemovePartitionerUnderLoadIT {

    private static final Duration WAIT = Duration.ofSeconds(90);
    private static final String TOPIC = "tenants";
    private static final int PARTITIONS = 6;
    private static final Pattern OFFSET = Pattern.compile(
            "\\{\"partition\":(\\d+|null),\"offset\":(\\d+|null),\"error_code\":(\\d+|null),\"error\":(null|\"(?:[^\"\\\\]|\\\\.)*\")\\}");

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private DeployableBroker broker;

    /** What became of one record sent. */
    private record Outcome(long seq, String key, int httpStatus, Integer partition, Long offset, Integer errorCode,
            String error, long sentNanos) {
    }

    @After
    public void killBroker() throws InterruptedException {
        if (broker != null) {
            broker.close();
        }
    }

    @Test
    public void removingThePartitionerUnderLoadNeverMovesAKey() throws Exception {
        int kafkaPort = DeployableBroker.freePort();
        int httpPort = DeployableBroker.freePort();
        broker = DeployableBroker.start(tmp.newFolder("cairn").toPath(), tmp.newFolder("data").toPath(),
                tmp.newFile("broker.out").toPath(), kafkaPort, WAIT,
                Map.of("CAIRN_OPTS", "-Dcairn.boot.features=cairn-runtime,cairn,cairn-rest-proxy"),
                "cairn.http.listeners=http://127.0.0.1:" + httpPort, "cairn.plugin.wait.ms=2000");
        Path deploy = broker.deploy();
        broker.await("the broker has started with its built-in partitioners",
                () -> broker.count(DeployableBroker.KEYHASH_ARRIVED) == 1);
        awaitListening(httpPort);
        Path jar = deploy.resolve("partitioner-example-header.jar");
        Files.copy(DeployableBroker.exampleBundle(), jar);
        broker.await("the dropped-in partitioner is offered", () -> broker.count(HEADER_ARRIVED) == 1);

        Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
        try (Admin admin = Admin.create(p)) {
            admin.createTopics(List.of(new NewTopic(TOPIC, PARTITIONS, (short) 1).configs(Map.of("cairn.partitioner", "header"))))
                    .all().get(60, TimeUnit.SECONDS);
        }

        List<Outcome> outcomes = new CopyOnWriteArrayList<>();
        AtomicBoolean stop = new AtomicBoolean();
        List<Throwable> clientFailure = new CopyOnWriteArrayList<>();
        Thread client = new Thread(() -> {
            try {
                produceUntil(stop, "http://127.0.0.1:" + httpPort, outcomes);
            } catch (Throwable t) {
                clientFailure.add(t);
            }
        }, "rest-client");
        client.start();
        try {
            broker.await("200 records acknowledged before the removal", () -> acked(outcomes) >= 200 || !clientFailure.isEmpty());
            long removedAt = System.nanoTime();
            Files.delete(jar);
            broker.await("deleting the jar removes the partitioner", () -> broker.count(HEADER_LEFT) == 1);
            broker.await("requests fail while it is gone", () -> refused(outcomes) >= 10 || !clientFailure.isEmpty());
            Files.copy(DeployableBroker.exampleBundle(), jar, StandardCopyOption.REPLACE_EXISTING);
            broker.await("the partitioner dropped back is offered again", () -> broker.count(HEADER_ARRIVED) == 2);
            long backAt = System.nanoTime();
            broker.await("200 records acknowledged after it came back",
                    () -> outcomes.stream().filter(o -> o.sentNanos() > backAt && o.partition() != null).count() >= 200
                            || !clientFailure.isEmpty());
            stop.set(true);
            client.join(TimeUnit.SECONDS.toMillis(90));
            assertTrue("client thread finished", !client.isAlive());
            if (!clientFailure.isEmpty()) {
                throw new AssertionError("the REST client failed", clientFailure.get(0));
            }
            report(outcomes, removedAt, backAt);
        } finally {
            stop.set(true);
        }

        Map<Long, Outcome> acked = new HashMap<>();
        for (Outcome o : outcomes) {
            assertEquals("HTTP status of the request with record " + o.seq(), 200, o.httpStatus());
            if (o.partition() != null) {
                assertEquals("record " + o.seq() + " with key " + o.key() + " acknowledged in partition " + o.partition(),
                        BuiltInPartitioner.partitionForKey(o.key().getBytes(StandardCharsets.UTF_8), PARTITIONS),
                        (int) o.partition());
                acked.put(o.seq(), o);
            } else {
                assertEquals("error code of refused record " + o.seq() + ": " + o.error(), Integer.valueOf(2), o.errorCode());
                assertTrue(o.error(), o.error().startsWith("Partitioner 'header' (cairn.partitioner of topic 'tenants') has not been available for 2000 ms"));
            }
        }
        assertTrue("some records were refused while the partitioner was gone", refused(outcomes) > 0);

        // Everything in the topic, read by a Kafka client: exactly the acknowledged records, each where it was reported.
        List<ConsumerRecord<byte[], byte[]>> read = readAll(kafkaPort, acked.size());
        for (ConsumerRecord<byte[], byte[]> r : read) {
            long seq = Long.parseLong(new String(r.value(), StandardCharsets.UTF_8));
            Outcome o = acked.get(seq);
            assertNotNull("record " + seq + " at " + r.partition() + "/" + r.offset() + " was never acknowledged", o);
            assertEquals(o.key(), new String(r.key(), StandardCharsets.UTF_8));
            assertEquals("partition of record " + seq, (int) o.partition(), r.partition());
            assertEquals("offset of record " + seq, (long) o.offset(), r.offset());
            assertEquals(BuiltInPartitioner.partitionForKey(r.key(), PARTITIONS), r.partition());
        }
        assertEquals(acked.size(), read.stream().map(r -> new String(r.value(), StandardCharsets.UTF_8)).distinct().count());
        assertTrue("still the same broker process", broker.process().isAlive());
    }

    /** POSTs five keyed records per request until told to stop; every record's outcome is recorded. */
    private static void produceUntil(AtomicBoolean stop, String http, List<Outcome> outcomes) throws Exception {
        HttpClient httpClient = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
        Random random = new Random(20261122);
        long seq = 0;
        while (!stop.get()) {
            List<String> keys = new ArrayList<>();
            List<Long> seqs = new ArrayList<>();
            StringBuilder body = new StringBuilder("{\"records\":[");
            for (int i = 0; i < 5; i++) {
                String key = "tenant-" + random.nextInt(40);
                keys.add(key);
                seqs.add(seq);
                body.append(i == 0 ? "" : ",").append("{\"key\":\"").append(b64(key)).append("\",\"value\":\"")
                        .append(b64(Long.toString(seq++))).append("\"}");
            }
            body.append("]}");
            long sent = System.nanoTime();
            HttpRequest request = HttpRequest.newBuilder(URI.create(http + "/topics/" + TOPIC)).timeout(Duration.ofSeconds(60))
                    .header("Content-Type", "application/vnd.kafka.binary.v2+json")
                    .POST(HttpRequest.BodyPublishers.ofString(body.toString())).build();
            HttpResponse<String> response = httpClient.send(request, HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200) {
                for (int i = 0; i < keys.size(); i++) {
                    outcomes.add(new Outcome(seqs.get(i), keys.get(i), response.statusCode(), null, null, null, response.body(), sent));
                }
                continue;
            }
            Matcher m = OFFSET.matcher(response.body());
            int i = 0;
            while (m.find()) {
                boolean ok = !m.group(1).equals("null");
                String error = m.group(4).equals("null") ? null : m.group(4).substring(1, m.group(4).length() - 1);
                outcomes.add(new Outcome(seqs.get(i), keys.get(i), 200, ok ? Integer.valueOf(m.group(1)) : null,
                        ok ? Long.valueOf(m.group(2)) : null, m.group(3).equals("null") ? null : Integer.valueOf(m.group(3)),
                        error, sent));
                i++;
            }
            if (i != keys.size()) {
                throw new AssertionError("expected " + keys.size() + " offsets in " + response.body());
            }
        }
    }

    private static void report(List<Outcome> outcomes, long removedAt, long backAt) {
        long before = outcomes.stream().filter(o -> o.sentNanos() < removedAt && o.partition() != null).count();
        long refused = refused(outcomes);
        long after = outcomes.stream().filter(o -> o.sentNanos() > backAt && o.partition() != null).count();
        long between = outcomes.stream().filter(o -> o.sentNanos() >= removedAt && o.sentNanos() <= backAt && o.partition() != null).count();
        System.out.printf("RemovePartitionerUnderLoadIT: %d records sent; acknowledged %d before the removal, %d between removal and return"
                + " (sent before the bundle stopped), %d after it came back; %d refused; jar absent for %d ms%n",
                outcomes.size(), before, between, after, refused, TimeUnit.NANOSECONDS.toMillis(backAt - removedAt));
    }

    private static long acked(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> o.partition() != null).count();
    }

    private static long refused(List<Outcome> outcomes) {
        return outcomes.stream().filter(o -> o.partition() == null).count();
    }

    private static String b64(String s) {
        return Base64.getEncoder().encodeToString(s.getBytes(StandardCharsets.UTF_8));
    }

    private static List<ConsumerRecord<byte[], byte[]>> readAll(int kafkaPort, int expected) {
        Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:" + kafkaPort);
        p.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, ByteArrayDeserializer.class.getName());
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        List<ConsumerRecord<byte[], byte[]>> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p)) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int i = 0; i < PARTITIONS; i++) {
                tps.add(new TopicPartition(TOPIC, i));
            }
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            long deadline = System.nanoTime() + WAIT.toNanos();
            while (out.size() < expected && System.nanoTime() < deadline) {
                consumer.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            consumer.poll(Duration.ofSeconds(1)).forEach(out::add);
            // The log end offsets say the same: nothing beyond what was read.
            long total = consumer.endOffsets(tps).values().stream().mapToLong(Long::longValue).sum();
            assertEquals("records in the topic", expected, total);
        }
        assertEquals("records read back", expected, out.size());
        return out;
    }

    private void awaitListening(int port) throws InterruptedException {
        broker.await("the REST proxy listens on " + port, () -> {
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return true;
            } catch (IOException notYet) {
                return false;
            }
        });
    }
}
