package io.cairn.partitioner.example.header.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.lang.annotation.Annotation;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;

import io.cairn.partitioner.spi.Murmur2;
import io.cairn.partitioner.spi.PartitionInfo;
import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;
import io.cairn.partitioner.spi.tck.PartitionerContract;
import io.cairn.partitioner.spi.tck.RandomRecords;

class HeaderPartitionerTest extends PartitionerContract {

    private static HeaderPartitionerConfig config(String headerName) {
        return new HeaderPartitionerConfig() {
            @Override
            public Class<? extends Annotation> annotationType() {
                return HeaderPartitionerConfig.class;
            }

            @Override
            public String header_name() {
                return headerName;
            }
        };
    }

    @Override
    protected Partitioner createPartitioner() {
        return new HeaderPartitioner(config(HeaderPartitionerConfig.DEFAULT_HEADER));
    }

    @Override
    protected void decorate(PartitionRequest.Builder record, Random random) {
        if (random.nextBoolean()) {
            record.header(HeaderPartitionerConfig.DEFAULT_HEADER, random.nextInt(10) == 0 ? null : utf8("tenant-" + random.nextInt(50)));
        }
    }

    @Override
    protected boolean placesStably(PartitionRequest record) {
        return super.placesStably(record) || record.key() != null
                || record.lastHeader(HeaderPartitionerConfig.DEFAULT_HEADER).map(h -> h.value() != null).orElse(false);
    }

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int keyhash(String key, int count) {
        return Murmur2.partitionForKey(ByteBuffer.wrap(utf8(key)), count);
    }

    @Test
    void theHeaderValueWinsOverTheKeyAndLandsWhereThatValueAsAKeyWould() {
        for (int i = 0; i < 1_000; i++) {
            String tenant = "tenant-" + i;
            PartitionRequest record = PartitionRequest.builder("t", RandomRecords.led(12)).key(utf8("order-" + i))
                    .header("cairn-partition-key", utf8(tenant)).build();

            assertEquals(keyhash(tenant, 12), partitioner().partition(record));
        }
    }

    @Test
    void theLastOccurrenceOfTheHeaderCounts() {
        PartitionRequest record = PartitionRequest.builder("t", RandomRecords.led(50))
                .header("cairn-partition-key", utf8("first")).header("cairn-partition-key", utf8("second")).build();

        assertEquals(keyhash("second", 50), partitioner().partition(record));
    }

    @Test
    void withoutTheHeaderOrWithANullValueTheKeyPlacesTheRecordAsKeyhashWould() {
        PartitionRequest none = PartitionRequest.builder("t", RandomRecords.led(12)).key(utf8("order-9"))
                .header("other", utf8("x")).build();
        PartitionRequest nullValue = PartitionRequest.builder("t", RandomRecords.led(12)).key(utf8("order-9"))
                .header("cairn-partition-key", null).build();

        assertEquals(keyhash("order-9", 12), partitioner().partition(none));
        assertEquals(keyhash("order-9", 12), partitioner().partition(nullValue));
    }

    @Test
    void withNeitherHeaderNorKeyRecordsAreDealtOverPartitionsWithALeader() {
        List<PartitionInfo> partitions = new ArrayList<>(RandomRecords.led(4));
        partitions.set(0, new PartitionInfo(0, PartitionInfo.NO_LEADER));
        PartitionRequest record = PartitionRequest.builder("t", partitions).value(utf8("v")).build();
        int[] counts = new int[4];
        for (int i = 0; i < 3_000; i++) {
            counts[partitioner().partition(record)]++;
        }
        assertArrayEquals(new int[] {0, 1_000, 1_000, 1_000}, counts);
    }

    @Test
    void theConfiguredHeaderIsTheOneRead() {
        HeaderPartitioner bySession = new HeaderPartitioner(config("session"));
        PartitionRequest record = PartitionRequest.builder("t", RandomRecords.led(30)).key(utf8("k"))
                .header("cairn-partition-key", utf8("ignored")).header("session", utf8("s-77")).build();

        assertEquals("session", bySession.headerName());
        assertEquals(keyhash("s-77", 30), bySession.partition(record));
        assertEquals(HeaderPartitionerConfig.DEFAULT_HEADER, new HeaderPartitioner(config(" ")).headerName(),
                "a blank setting means the default header");
    }
}
