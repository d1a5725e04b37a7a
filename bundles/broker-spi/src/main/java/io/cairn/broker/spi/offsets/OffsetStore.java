package io.cairn.broker.spi.offsets;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Keeps the offsets consumer groups commit. Registered with the property {@code cairn.name}.
 *
 * <p>Durability: {@link #commit} returns once the offsets will survive a crash of the broker
 * process. Thread-safe; commits of one group are applied in call order.
 */
@ConsumerType
public interface OffsetStore {

    /** The service property that names a store: {@code file}, {@code zookeeper}, {@code topic}. */
    String NAME_PROPERTY = "cairn.name";

    /** Stores offsets for a group, replacing earlier commits of the same partitions. */
    void commit(String groupId, Collection<CommittedOffset> offsets) throws IOException;

    /** Every offset the group has committed. */
    List<CommittedOffset> fetch(String groupId) throws IOException;

    /** Every group with at least one committed offset. */
    Set<String> groups() throws IOException;

    /** Removes every offset of a group. */
    void deleteGroup(String groupId) throws IOException;
}
