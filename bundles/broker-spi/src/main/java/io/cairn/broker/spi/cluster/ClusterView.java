package io.cairn.broker.spi.cluster;

import java.util.Collection;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The cluster as this broker sees it now: an immutable snapshot. Ask {@link LocalBroker#cluster()}
 * again for a newer one; do not keep a snapshot across requests.
 */
@ProviderType
public interface ClusterView {

    /** The cluster id, as stored under {@code /cluster/id}. */
    String clusterId();

    /** The id of the controller broker, or -1 while there is none. */
    int controllerId();

    /** The live brokers, ordered by id. */
    Collection<BrokerInfo> brokers();

    /** The broker with this id, if it is live. */
    Optional<BrokerInfo> broker(int id);

    /** Every topic, ordered by name. */
    Collection<TopicInfo> topics();

    /** The topic with this name, if it exists. */
    Optional<TopicInfo> topic(String name);
}
