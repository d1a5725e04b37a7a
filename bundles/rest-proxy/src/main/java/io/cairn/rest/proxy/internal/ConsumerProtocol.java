package io.cairn.rest.proxy.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * Kafka's consumer protocol ({@code protocol_type} {@code consumer}) as far as a group member
 * running the {@code range} assignor needs it: the subscription a member sends in JoinGroup, the
 * assignment the leader hands out in SyncGroup, and the range assignment itself. Written to match
 * {@code kafka-clients}' {@code ConsumerProtocol} byte for byte (the unit test reads and writes
 * with it), so REST consumers and Kafka clients share groups and {@code kafka-consumer-groups
 * --describe} shows the REST members' partitions.
 *
 * <p>Both structures are Kafka's classic (non-flexible) encoding, big-endian, every version
 * starting with an {@code int16} version:
 * <pre>
 * Subscription v0: version, topics ARRAY(STRING), user_data NULLABLE_BYTES
 *              v1: + owned_partitions ARRAY(topic STRING, partitions ARRAY(INT32))
 *              v2: + generation_id INT32     v3: + rack_id NULLABLE_STRING
 * Assignment v0-v3: version, assigned_partitions ARRAY(topic STRING, partitions ARRAY(INT32)), user_data NULLABLE_BYTES
 * </pre>
 * ARRAY is an {@code int32} count then the items, STRING an {@code int16} length then UTF-8,
 * NULLABLE_BYTES an {@code int32} length (-1 for null) then the bytes. This class writes version 0
 * of both, which every Kafka client reads; it reads any version, using only the leading fields
 * every version shares (later fields are ignored, as Kafka's own reader ignores unknown trailing
 * data of newer versions).
 *
 * <p>Stateless and thread-safe.
 */
final class ConsumerProtocol {

    static final String PROTOCOL_TYPE = "consumer";
    static final String RANGE = "range";

    /** A member as the range assignor orders it: by {@code group.instance.id} if static, else member id. */
    record Member(String memberId, Optional<String> groupInstanceId, List<String> topics) {
    }

    private static final Comparator<Member> KAFKA_MEMBER_ORDER = (a, b) -> {
        // Kafka's AbstractPartitionAssignor.MemberInfo.compareTo: static members first, by instance id.
        if (a.groupInstanceId().isPresent() && b.groupInstanceId().isPresent()) {
            return a.groupInstanceId().get().compareTo(b.groupInstanceId().get());
        }
        if (a.groupInstanceId().isPresent()) {
            return -1;
        }
        if (b.groupInstanceId().isPresent()) {
            return 1;
        }
        return a.memberId().compareTo(b.memberId());
    };

    private ConsumerProtocol() {
    }

    /** A version 0 subscription to {@code topics} without user data. */
    static byte[] subscription(Collection<String> topics) {
        List<byte[]> names = new ArrayList<>();
        int size = 2 + 4 + 4;
        for (String t : new TreeSet<>(topics)) {
            byte[] name = t.getBytes(StandardCharsets.UTF_8);
            names.add(name);
            size += 2 + name.length;
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putShort((short) 0);
        out.putInt(names.size());
        for (byte[] name : names) {
            out.putShort((short) name.length).put(name);
        }
        out.putInt(-1);
        return out.array();
    }

    /**
     * The topics of a subscription of any version.
     *
     * @throws IllegalArgumentException if the bytes are not a subscription
     */
    static List<String> subscribedTopics(byte[] subscription) {
        try {
            ByteBuffer in = ByteBuffer.wrap(subscription);
            short version = in.getShort();
            if (version < 0) {
                throw new IllegalArgumentException("subscription version " + version);
            }
            int count = in.getInt();
            List<String> topics = new ArrayList<>(Math.max(0, Math.min(count, 1024)));
            for (int i = 0; i < count; i++) {
                topics.add(string(in));
            }
            return topics;
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("not a consumer protocol subscription", e);
        }
    }

    /** A version 0 assignment of {@code partitions} without user data. */
    static byte[] assignment(Collection<PartitionKey> partitions) {
        Map<String, List<Integer>> byTopic = new TreeMap<>();
        for (PartitionKey p : new TreeSet<>(partitions)) {
            byTopic.computeIfAbsent(p.topic(), t -> new ArrayList<>()).add(p.partition());
        }
        int size = 2 + 4 + 4;
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            size += 2 + e.getKey().getBytes(StandardCharsets.UTF_8).length + 4 + 4 * e.getValue().size();
        }
        ByteBuffer out = ByteBuffer.allocate(size);
        out.putShort((short) 0);
        out.putInt(byTopic.size());
        for (Map.Entry<String, List<Integer>> e : byTopic.entrySet()) {
            byte[] name = e.getKey().getBytes(StandardCharsets.UTF_8);
            out.putShort((short) name.length).put(name);
            out.putInt(e.getValue().size());
            e.getValue().forEach(out::putInt);
        }
        out.putInt(-1);
        return out.array();
    }

    /**
     * The partitions of an assignment of any version; an empty array (a member the leader left
     * out) is no partitions.
     *
     * @throws IllegalArgumentException if the bytes are not an assignment
     */
    static List<PartitionKey> assignedPartitions(byte[] assignment) {
        if (assignment.length == 0) {
            return List.of();
        }
        try {
            ByteBuffer in = ByteBuffer.wrap(assignment);
            short version = in.getShort();
            if (version < 0) {
                throw new IllegalArgumentException("assignment version " + version);
            }
            int topics = in.getInt();
            List<PartitionKey> out = new ArrayList<>();
            for (int i = 0; i < topics; i++) {
                String topic = string(in);
                int count = in.getInt();
                for (int j = 0; j < count; j++) {
                    out.add(new PartitionKey(topic, in.getInt()));
                }
            }
            return out;
        } catch (BufferUnderflowException | NegativeArraySizeException e) {
            throw new IllegalArgumentException("not a consumer protocol assignment", e);
        }
    }

    /**
     * Kafka's {@code RangeAssignor} without racks: per topic, the members subscribed to it in
     * Kafka's member order each get a contiguous range of its partitions, the first
     * {@code partitions % members} one more than the rest. Topics not in {@code partitionCounts}
     * (unknown to the broker) are left out.
     *
     * @return every member's partitions, members without any included with an empty list
     */
    static Map<String, List<PartitionKey>> rangeAssign(List<Member> members, Map<String, Integer> partitionCounts) {
        Map<String, List<PartitionKey>> out = new LinkedHashMap<>();
        Map<String, List<Member>> byTopic = new TreeMap<>();
        for (Member m : members) {
            out.put(m.memberId(), new ArrayList<>());
            for (String t : new TreeSet<>(m.topics())) {
                byTopic.computeIfAbsent(t, x -> new ArrayList<>()).add(m);
            }
        }
        for (Map.Entry<String, List<Member>> e : byTopic.entrySet()) {
            Integer count = partitionCounts.get(e.getKey());
            if (count == null) {
                continue;
            }
            List<Member> consumers = new ArrayList<>(e.getValue());
            consumers.sort(KAFKA_MEMBER_ORDER);
            int per = count / consumers.size();
            int extra = count % consumers.size();
            for (int i = 0; i < consumers.size(); i++) {
                int start = per * i + Math.min(i, extra);
                int length = per + (i + 1 > extra ? 0 : 1);
                List<PartitionKey> mine = out.get(consumers.get(i).memberId());
                for (int p = start; p < start + length; p++) {
                    mine.add(new PartitionKey(e.getKey(), p));
                }
            }
        }
        return out;
    }

    /** Every topic any member subscribes to. */
    static Set<String> allTopics(List<Member> members) {
        Set<String> out = new TreeSet<>();
        members.forEach(m -> out.addAll(m.topics()));
        return out;
    }

    private static String string(ByteBuffer in) {
        short length = in.getShort();
        if (length < 0) {
            throw new IllegalArgumentException("null string where a topic name belongs");
        }
        byte[] b = new byte[length];
        in.get(b);
        return new String(b, StandardCharsets.UTF_8);
    }
}
