package io.cairn.offsets.topic.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.MessageUtil;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.Record;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.apache.kafka.common.utils.Utils;
import org.apache.kafka.coordinator.group.generated.OffsetCommitKey;
import org.apache.kafka.coordinator.group.generated.OffsetCommitValue;
import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * What the topic store writes is what Kafka writes: Kafka's record classes read the batches
 * (CRC included) and Kafka's coordinator record classes read the keys and values; and what Kafka
 * wrote (older value versions too) loads.
 */
class KafkaFormatTest {

    private final FakeBroker broker = new FakeBroker();

    private TopicOffsetStore open() throws IOException {
        TopicOffsetStore store = new TopicOffsetStore(broker, 50, (short) 3, 1_000);
        store.groups(); // the first call creates and loads the topic
        return store;
    }

    private List<Record> recordsOf(int partition) {
        List<Record> all = new ArrayList<>();
        for (ByteBuffer b : ((FakeBroker.FakePartition) broker.partition(TopicOffsetStore.TOPIC, partition)).batches) {
            for (RecordBatch batch : MemoryRecords.readableRecords(b.duplicate()).batches()) {
                batch.ensureValid();
                batch.forEach(all::add);
            }
        }
        return all;
    }

    @Test
    void theTopicIsCreatedCompactedAndKeptForeverOnOneBroker() throws IOException {
        new TopicOffsetStore(broker, 50, (short) 3, 1_000);
        assertTrue(broker.created.isEmpty(), "not before the store is used");
        open();
        var spec = broker.created.get("__consumer_offsets");
        assertEquals(50, spec.partitions());
        assertEquals(1, spec.replicationFactor(), "three replicas wanted, one broker live");
        assertEquals(Map.of("cleanup.policy", "compact", "segment.bytes", "104857600", "retention.ms", "-1",
                "retention.bytes", "-1"), spec.configs());
        open(); // a second start finds the topic
    }

    @Test
    void groupsGoToKafkasPartition() throws IOException {
        TopicOffsetStore store = open();
        for (String g : List.of("my-group", "", "payments", "x".repeat(300), "\u00e9t\u00e9")) {
            assertEquals(Utils.abs(g.hashCode()) % 50, store.partitionFor(g), g);
        }
    }

    @Test
    void commitsAreKafkaOffsetCommitRecords() throws IOException {
        TopicOffsetStore store = open();
        store.commit("my-group", List.of(new CommittedOffset("orders", 3, 1234, 7, "meta", 1_700_000_000_123L)));
        List<Record> records = recordsOf(store.partitionFor("my-group"));
        assertEquals(1, records.size());
        ByteBuffer key = records.get(0).key();
        short keyVersion = key.getShort();
        assertEquals(1, keyVersion);
        OffsetCommitKey k = new OffsetCommitKey(new ByteBufferAccessor(key), keyVersion);
        assertEquals("my-group", k.group());
        assertEquals("orders", k.topic());
        assertEquals(3, k.partition());
        ByteBuffer value = records.get(0).value();
        short valueVersion = value.getShort();
        assertEquals(3, valueVersion);
        OffsetCommitValue v = new OffsetCommitValue(new ByteBufferAccessor(value), valueVersion);
        assertEquals(1234, v.offset());
        assertEquals(7, v.leaderEpoch());
        assertEquals("meta", v.metadata());
        assertEquals(1_700_000_000_123L, v.commitTimestamp());

        store.delete("my-group", List.of(new PartitionKey("orders", 3)));
        List<Record> after = recordsOf(store.partitionFor("my-group"));
        assertEquals(2, after.size());
        assertNull(after.get(1).value(), "a deletion is a tombstone");
        assertTrue(open().fetch("my-group").isEmpty());
    }

    @Test
    void offsetsWrittenByKafkaLoadIncludingOlderValueVersions() throws IOException {
        TopicOffsetStore store = open();
        int p = store.partitionFor("legacy");
        byte[] key = MessageUtil.toVersionPrefixedBytes((short) 1,
                new OffsetCommitKey().setGroup("legacy").setTopic("t").setPartition(0));
        byte[] v1 = MessageUtil.toVersionPrefixedBytes((short) 1, new OffsetCommitValue().setOffset(77)
                .setMetadata("old").setCommitTimestamp(5).setExpireTimestamp(99));
        byte[] key2 = MessageUtil.toVersionPrefixedBytes((short) 1,
                new OffsetCommitKey().setGroup("legacy").setTopic("t").setPartition(1));
        byte[] v3 = MessageUtil.toVersionPrefixedBytes((short) 3, new OffsetCommitValue().setOffset(88)
                .setLeaderEpoch(2).setMetadata("new").setCommitTimestamp(6));
        broker.partition(TopicOffsetStore.TOPIC, p).append(RecordBatches.batch(List.of(
                new RecordBatches.KeyValue(key, v1), new RecordBatches.KeyValue(key2, v3)), 0), (short) -1, 1000);
        TopicOffsetStore reloaded = open();
        assertEquals(List.of(new CommittedOffset("t", 0, 77, -1, "old", 5), new CommittedOffset("t", 1, 88, 2, "new", 6)),
                reloaded.fetch("legacy").stream().sorted((a, b) -> Integer.compare(a.partition(), b.partition())).toList());
    }

    @Test
    void aFailedAppendIsReportedAndChangesNothing() throws IOException {
        TopicOffsetStore store = open();
        store.commit("g", List.of(new CommittedOffset("t", 0, 1, -1, "", 0)));
        ((FakeBroker.FakePartition) broker.partition(TopicOffsetStore.TOPIC, store.partitionFor("g"))).failing = true;
        assertThrows(IOException.class, () -> store.commit("g", List.of(new CommittedOffset("t", 0, 2, -1, "", 0))));
        assertEquals(1, store.fetch("g").get(0).offset());
    }
}
