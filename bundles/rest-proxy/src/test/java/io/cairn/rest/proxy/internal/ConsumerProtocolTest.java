package io.cairn.rest.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Random;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Assignment;
import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor.Subscription;
import org.apache.kafka.clients.consumer.RangeAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * The consumer protocol structures and the range assignment against {@code kafka-clients}' own
 * {@code ConsumerProtocol} and {@code RangeAssignor}: what the proxy writes Kafka clients (and
 * {@code kafka-consumer-groups --describe}) read, what Kafka clients of every protocol version
 * write the proxy reads, and the proxy's leader assigns as a Kafka leader would.
 */
class ConsumerProtocolTest {

    private static byte[] bytes(ByteBuffer b) {
        byte[] out = new byte[b.remaining()];
        b.duplicate().get(out);
        return out;
    }

    @Test
    void ourSubscriptionIsKafkasVersionZero() {
        List<String> topics = List.of("orders", "payments", "ü-topic");
        byte[] ours = io.cairn.rest.proxy.internal.ConsumerProtocol.subscription(topics);
        Subscription read = ConsumerProtocol.deserializeSubscription(ByteBuffer.wrap(ours));
        assertEquals(topics, read.topics());
        assertEquals(null, read.userData());
        assertArrayEquals(bytes(ConsumerProtocol.serializeSubscription(new Subscription(topics), (short) 0)), ours);
    }

    @Test
    void weReadKafkasSubscriptionsOfEveryVersion() {
        Subscription s = new Subscription(List.of("a", "b"), ByteBuffer.wrap(new byte[] {1, 2, 3}),
                List.of(new TopicPartition("a", 1)), 7, Optional.of("rack-1"));
        for (short v = 0; v <= 3; v++) {
            byte[] written = bytes(ConsumerProtocol.serializeSubscription(s, v));
            assertEquals(List.of("a", "b"), io.cairn.rest.proxy.internal.ConsumerProtocol.subscribedTopics(written), "v" + v);
        }
    }

    @Test
    void assignmentsRoundTripBothWays() {
        List<PartitionKey> parts = List.of(new PartitionKey("t", 3), new PartitionKey("t", 0), new PartitionKey("u", 2));
        byte[] ours = io.cairn.rest.proxy.internal.ConsumerProtocol.assignment(parts);
        Assignment read = ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(ours));
        assertEquals(new TreeSet<>(List.of("t-0", "t-3", "u-2")),
                new TreeSet<>(read.partitions().stream().map(TopicPartition::toString).toList()));
        for (short v = 0; v <= 3; v++) {
            byte[] kafka = bytes(ConsumerProtocol.serializeAssignment(new Assignment(
                    List.of(new TopicPartition("t", 0), new TopicPartition("t", 3), new TopicPartition("u", 2)),
                    ByteBuffer.wrap(new byte[] {9})), v));
            assertEquals(new TreeSet<>(parts),
                    new TreeSet<>(io.cairn.rest.proxy.internal.ConsumerProtocol.assignedPartitions(kafka)), "v" + v);
        }
        assertEquals(List.of(), io.cairn.rest.proxy.internal.ConsumerProtocol.assignedPartitions(new byte[0]));
    }

    @Test
    void rangeAssignmentIsKafkasRangeAssignor() {
        Random random = new Random(42);
        RangeAssignor kafka = new RangeAssignor();
        for (int round = 0; round < 500; round++) {
            int topicCount = 1 + random.nextInt(4);
            Map<String, Integer> counts = new TreeMap<>();
            for (int t = 0; t < topicCount; t++) {
                counts.put("topic-" + t, 1 + random.nextInt(12));
            }
            int memberCount = 1 + random.nextInt(6);
            List<io.cairn.rest.proxy.internal.ConsumerProtocol.Member> members = new ArrayList<>();
            Map<String, Subscription> subscriptions = new HashMap<>();
            for (int m = 0; m < memberCount; m++) {
                String id = "member-" + random.nextInt(1000) + "-" + m;
                Optional<String> instance = random.nextInt(3) == 0 ? Optional.of("static-" + random.nextInt(100) + m) : Optional.empty();
                List<String> topics = new ArrayList<>();
                counts.keySet().forEach(t -> {
                    if (random.nextInt(3) > 0) {
                        topics.add(t);
                    }
                });
                members.add(new io.cairn.rest.proxy.internal.ConsumerProtocol.Member(id, instance, topics));
                Subscription s = new Subscription(topics);
                s.setGroupInstanceId(instance);
                subscriptions.put(id, s);
            }
            Map<String, List<PartitionKey>> ours = io.cairn.rest.proxy.internal.ConsumerProtocol.rangeAssign(members, counts);
            Map<String, List<TopicPartition>> theirs = kafka.assign(counts, subscriptions);
            for (String id : subscriptions.keySet()) {
                assertEquals(new TreeSet<>(theirs.get(id).stream().map(TopicPartition::toString).toList()),
                        new TreeSet<>(ours.get(id).stream().map(PartitionKey::toString).toList()), "round " + round + " member " + id);
            }
        }
    }
}
