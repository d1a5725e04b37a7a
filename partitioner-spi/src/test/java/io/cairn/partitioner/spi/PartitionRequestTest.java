package io.cairn.partitioner.spi;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.ReadOnlyBufferException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.OptionalInt;

import org.junit.jupiter.api.Test;

class PartitionRequestTest {

    private static final List<PartitionInfo> THREE = List.of(new PartitionInfo(0, 1),
            new PartitionInfo(1, PartitionInfo.NO_LEADER), new PartitionInfo(2, 3));

    @Test
    void keepsWhatItWasGivenAndListsThePartitionsWithALeader() {
        PartitionRequest r = PartitionRequest.builder("orders", THREE).key(bytes("k")).value(bytes("v"))
                .header("a", bytes("1")).requestedPartition(2).build();

        assertEquals("orders", r.topic());
        assertEquals(3, r.partitionCount());
        assertEquals(THREE, r.partitions());
        assertEquals(List.of(THREE.get(0), THREE.get(2)), r.availablePartitions());
        assertEquals(OptionalInt.of(2), r.requestedPartition());
        assertEquals(ByteBuffer.wrap(bytes("k")), r.key());
        assertEquals(ByteBuffer.wrap(bytes("v")), r.value());
        assertEquals(1, r.headers().size());
    }

    @Test
    void aRecordWithoutKeyValueOrPartitionSaysSo() {
        PartitionRequest r = PartitionRequest.builder("t", THREE).build();

        assertNull(r.key());
        assertNull(r.value());
        assertTrue(r.headers().isEmpty());
        assertEquals(OptionalInt.empty(), r.requestedPartition());
    }

    @Test
    void everyCallGivesAFreshReadOnlyViewOfTheRemainingBytes() {
        ByteBuffer key = ByteBuffer.wrap(bytes("xxkeyyy"), 2, 3);
        PartitionRequest r = PartitionRequest.builder("t", THREE).key(key).header("h", bytes("value")).build();

        ByteBuffer first = r.key();
        first.get();
        first.get();
        assertEquals(3, r.key().remaining(), "reading one view moves no other");
        assertEquals(0, r.key().position());
        assertEquals('k', r.key().get(0));
        assertThrows(ReadOnlyBufferException.class, () -> r.key().put(0, (byte) 0));
        assertEquals(2, key.position(), "the caller's buffer is not moved");

        ByteBuffer header = r.headers().get(0).value();
        header.get(new byte[5]);
        assertEquals(5, r.headers().get(0).value().remaining());
        assertTrue(r.headers().get(0).value().isReadOnly());
    }

    @Test
    void theLastHeaderWithAKeyCounts() {
        PartitionRequest r = PartitionRequest.builder("t", THREE).header("tenant", bytes("a")).header("other", null)
                .header("tenant", bytes("b")).build();

        assertEquals(ByteBuffer.wrap(bytes("b")), r.lastHeader("tenant").orElseThrow().value());
        assertNull(r.lastHeader("other").orElseThrow().value());
        assertTrue(r.lastHeader("missing").isEmpty());
    }

    @Test
    void refusesPartitionListsThatAreNotZeroToNInOrder() {
        assertThrows(IllegalArgumentException.class, () -> PartitionRequest.builder("t", List.of()).build());
        assertThrows(IllegalArgumentException.class, () -> PartitionRequest.builder("t",
                List.of(new PartitionInfo(1, 1), new PartitionInfo(0, 1))).build());
        assertThrows(IllegalArgumentException.class, () -> PartitionRequest.builder("t",
                List.of(new PartitionInfo(0, 1), new PartitionInfo(2, 1))).build());
        assertThrows(IllegalArgumentException.class, () -> new PartitionInfo(-1, 1));
        assertThrows(IllegalArgumentException.class, () -> new PartitionInfo(0, -2));
        assertThrows(IllegalArgumentException.class, () -> PartitionRequest.builder("t", THREE).requestedPartition(-1));
    }

    @Test
    void theOutOfRangeMessageNamesTopicPartitionAndRange() {
        assertEquals("Topic 'orders' has no partition 7: its partitions are 0 to 2",
                PartitionerException.noSuchPartition("orders", 7, 3).getMessage());
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }
}
