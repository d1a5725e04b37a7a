package io.cairn.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Committed offsets survive a kill -9 of the broker with the {@code topic} offset store
 * ({@code cairn.offsets.store=topic}: the internal topic {@code __consumer_offsets}): offsets of
 * many groups (so several of the topic's partitions), with metadata strings, committed by Admin
 * and by a group member, and overwritten once, are returned unchanged after SIGKILL and restart.
 * The file store's variant is {@code ConsumerGroupsIT.committedOffsetsSurviveKill9OfTheBroker}.
 */
public class TopicOffsetStoreKill9IT {

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private BrokerProcess broker;

    @After
    public void stop() throws Exception {
        if (broker != null) {
            broker.close();
        }
    }

    private BrokerProcess start(Path work, Path data, int port) throws Exception {
        BrokerProcess started = BrokerProcess.start(work, data, port, "cairn.offsets.store=topic",
                "group.initial.rebalance.delay.ms=0");
        started.awaitListening(Duration.ofSeconds(60));
        return started;
    }

    @Test
    public void committedOffsetsSurviveKill9WithTheTopicStore() throws Exception {
        Path work = tmp.newFolder("work").toPath();
        Path data = tmp.newFolder("data").toPath();
        int port = BrokerProcess.freePort();
        broker = start(work, data, port);

        String topic = "durable-topic-store";
        Map<String, Map<TopicPartition, OffsetAndMetadata>> expected = new HashMap<>();
        try (Admin admin = Clients.admin(broker.bootstrap())) {
            admin.createTopics(List.of(new NewTopic(topic, 3, (short) 1))).all().get(30, TimeUnit.SECONDS);
            for (int g = 0; g < 8; g++) {
                String group = "g" + g;
                Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
                for (int p = 0; p < 3; p++) {
                    offsets.put(new TopicPartition(topic, p), new OffsetAndMetadata(100L * g + p + 1, "m" + g + "-" + p));
                }
                admin.alterConsumerGroupOffsets(group, offsets).all().get(30, TimeUnit.SECONDS);
                expected.put(group, offsets);
            }
            // An overwrite: the latest value per key is what comes back.
            Map<TopicPartition, OffsetAndMetadata> g0 = new HashMap<>(expected.get("g0"));
            g0.put(new TopicPartition(topic, 0), new OffsetAndMetadata(4242, "overwritten"));
            admin.alterConsumerGroupOffsets("g0", g0).all().get(30, TimeUnit.SECONDS);
            expected.put("g0", g0);

            // The store in use is the internal topic.
            TopicDescription internal = admin.describeTopics(List.of("__consumer_offsets")).allTopicNames()
                    .get(30, TimeUnit.SECONDS).get("__consumer_offsets");
            assertEquals(50, internal.partitions().size());
        }
        // A commit by a real group member (generation and member id checked by the coordinator).
        TopicPartition p1 = new TopicPartition(topic, 1);
        try (KafkaConsumer<String, String> member = Clients.consumer(broker.bootstrap(), "member-group", Map.of())) {
            member.subscribe(List.of(topic));
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(45);
            while (member.assignment().size() != 3) {
                assertTrue("the member got its partitions", System.nanoTime() < deadline);
                member.poll(Duration.ofMillis(100));
            }
            member.commitSync(Map.of(p1, new OffsetAndMetadata(7, "by-member")));
            expected.put("member-group", Map.of(p1, new OffsetAndMetadata(7, "by-member")));
        }

        broker.process().destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        broker = start(work, data, port);

        try (Admin admin = Clients.admin(broker.bootstrap())) {
            for (Map.Entry<String, Map<TopicPartition, OffsetAndMetadata>> e : expected.entrySet()) {
                Map<TopicPartition, OffsetAndMetadata> actual = admin.listConsumerGroupOffsets(e.getKey())
                        .partitionsToOffsetAndMetadata().get(30, TimeUnit.SECONDS);
                assertEquals(e.getKey(), e.getValue().size(), actual.size());
                for (Map.Entry<TopicPartition, OffsetAndMetadata> o : e.getValue().entrySet()) {
                    OffsetAndMetadata got = actual.get(o.getKey());
                    assertEquals(e.getKey() + " " + o.getKey(), o.getValue().offset(), got.offset());
                    assertEquals(e.getKey() + " " + o.getKey(), o.getValue().metadata(), got.metadata());
                }
            }
        }
        // And a member of the group resumes there.
        try (KafkaConsumer<String, String> member = Clients.consumer(broker.bootstrap(), "member-group", Map.of())) {
            member.assign(List.of(p1));
            assertEquals(7, member.position(p1, Duration.ofSeconds(30)));
        }
    }
}
