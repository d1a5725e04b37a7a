package io.cairn.broker.spi.groups.assignor;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A server-side assignor of a consumer (KIP-848) group: given the members, their subscriptions
 * and the subscribed topics, who gets which partitions. The package documentation has the
 * contract (completeness, purity, threading, errors).
 */
@ConsumerType
public interface PartitionAssignor {

    /** The service property that names an assignor, e.g. {@code uniform} or {@code range}. */
    String NAME_PROPERTY = "cairn.name";

    /**
     * The target assignment of every member of {@code group}.
     *
     * @throws PartitionAssignorException if no assignment can be computed
     */
    GroupAssignment assign(GroupSpec group);
}
