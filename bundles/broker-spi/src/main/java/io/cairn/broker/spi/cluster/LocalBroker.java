package io.cairn.broker.spi.cluster;

import org.osgi.annotation.versioning.ProviderType;

/**
 * This broker, as the kernel offers it to front ends such as the Kafka protocol bundle. Registered
 * by the kernel once the broker is registered in the metadata store and the cluster id is known;
 * unregistered when the broker stops. Thread-safe.
 */
@ProviderType
public interface LocalBroker {

    /** The broker's configuration. */
    BrokerConfig config();

    /** This broker's id. */
    default int brokerId() {
        return config().brokerId();
    }

    /** A current snapshot of the cluster. */
    ClusterView cluster();
}
