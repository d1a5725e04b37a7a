package io.cairn.partitioner.example.header.internal;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.Designate;

import io.cairn.partitioner.spi.Murmur2;
import io.cairn.partitioner.spi.PartitionInfo;
import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;
import io.cairn.partitioner.spi.PartitionerException;
import io.cairn.partitioner.spi.RecordHeader;

/**
 * An example of an integrator's partitioner, registered as {@code header}: a record goes to the
 * partition of the hash of one header's value (header {@code cairn-partition-key} unless configured
 * otherwise), so that records can be grouped by something other than their key — a tenant, a
 * session — while the key keeps its meaning for compaction.
 *
 * <p>Placement, first rule that applies:
 * <ol>
 * <li>a record that names its partition goes there (refused if the topic lacks it);</li>
 * <li>a record with the header (last occurrence, non-null value) goes to
 * {@code toPositive(murmur2(value)) % partitionCount} — the partition a record <em>keyed</em> with
 * those bytes would get from Kafka's producer;</li>
 * <li>otherwise a keyed record goes where its key hashes, exactly as with {@code keyhash}, so
 * switching a topic from {@code keyhash} to this partitioner moves no record that lacks the
 * header;</li>
 * <li>otherwise, neither header nor key, records are dealt out in turn over the partitions with a
 * leader (over all of them if none has one).</li>
 * </ol>
 * Placement by header or key ignores leaders: the record waits for its partition's leader rather
 * than go elsewhere.
 *
 * <p>Several instances, each reading its own header, are factory configurations of PID
 * {@value HeaderPartitionerConfig#PID}, each with {@code header.name} and its own
 * {@code cairn.name}. A configuration change re-creates the component, which the broker sees as
 * the partitioner going away and coming back.
 *
 * <p>Thread-safe: the placement is a pure function of the record except for the turn counters,
 * which are lock-free.
 */
@Component(configurationPid = HeaderPartitionerConfig.PID, property = Partitioner.NAME_PROPERTY + "=header")
@Designate(ocd = HeaderPartitionerConfig.class)
public final class HeaderPartitioner implements Partitioner {

    private final String headerName;
    private final ConcurrentMap<String, AtomicInteger> turns = new ConcurrentHashMap<>();

    /** @param config the header to read */
    @Activate
    public HeaderPartitioner(HeaderPartitionerConfig config) {
        String name = config.header_name();
        this.headerName = name == null || name.isBlank() ? HeaderPartitionerConfig.DEFAULT_HEADER : name.trim();
    }

    /** The header this instance reads. */
    String headerName() {
        return headerName;
    }

    @Override
    public int partition(PartitionRequest record) {
        int count = record.partitionCount();
        if (record.requestedPartition().isPresent()) {
            int named = record.requestedPartition().getAsInt();
            if (named >= count) {
                throw PartitionerException.noSuchPartition(record.topic(), named, count);
            }
            return named;
        }
        Optional<ByteBuffer> header = record.lastHeader(headerName).map(RecordHeader::value);
        if (header.isPresent()) {
            return Murmur2.partitionForKey(header.get(), count);
        }
        ByteBuffer key = record.key();
        return key != null ? Murmur2.partitionForKey(key, count) : nextTurn(record);
    }

    private int nextTurn(PartitionRequest record) {
        AtomicInteger counter = turns.computeIfAbsent(record.topic(),
                t -> new AtomicInteger(ThreadLocalRandom.current().nextInt(1 << 30)));
        int turn = Murmur2.toPositive(counter.getAndIncrement());
        List<PartitionInfo> available = record.availablePartitions();
        return available.isEmpty() ? turn % record.partitionCount() : available.get(turn % available.size()).partition();
    }
}
