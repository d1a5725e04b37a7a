package io.cairn.broker.spi.offsets;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Keeps the offsets consumer groups commit. Registered as an OSGi service with the property
 * {@value #NAME_PROPERTY}; the broker key {@code cairn.offsets.store} selects one. The rules every
 * store follows (durability, atomicity, replacement, ordering, lifecycle) are in the
 * {@linkplain io.cairn.broker.spi.offsets package documentation}.
 *
 * <p>Thread-safe: the coordinator calls it from several threads, never with two calls for the same
 * group at once.
 */
@ConsumerType
public interface OffsetStore {

    /** The service property that names a store: {@code file}, {@code zookeeper}, {@code topic}. */
    String NAME_PROPERTY = "cairn.name";

    /**
     * Stores offsets for a group, replacing earlier commits of the same partitions. All-or-nothing
     * across a crash; durable when it returns.
     *
     * @param offsets at most one entry per partition
     * @throws IOException if the offsets could not be made durable (some may have been); the
     *     coordinator answers a retriable error and the client retries
     * @throws io.cairn.broker.spi.cluster.BrokerException with
     *     {@code INVALID_COMMIT_OFFSET_SIZE} if this commit can never be stored (too large for the
     *     store, for example one ZooKeeper transaction); nothing of it is stored, and the
     *     coordinator passes the error to the client, which does not retry
     */
    void commit(String groupId, Collection<CommittedOffset> offsets) throws IOException;

    /** Every offset the group has committed and not deleted, in no particular order; empty if none. */
    List<CommittedOffset> fetch(String groupId) throws IOException;

    /** Every group with at least one committed offset. */
    Set<String> groups() throws IOException;

    /**
     * Removes the offsets of some partitions of a group (OffsetDelete, retention). Partitions the
     * group has no offset for are ignored. Durable when it returns.
     */
    void delete(String groupId, Collection<PartitionKey> partitions) throws IOException;

    /** Removes every offset of a group (DeleteGroups). A group without offsets is ignored. Durable when it returns. */
    void deleteGroup(String groupId) throws IOException;
}
