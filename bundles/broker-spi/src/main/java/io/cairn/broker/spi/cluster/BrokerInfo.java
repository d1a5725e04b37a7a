package io.cairn.broker.spi.cluster;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A live broker of the cluster, as registered under {@code /brokers/ids/<id>}.
 *
 * @param id the broker id
 * @param endpoints the advertised endpoints, one per listener
 * @param rack the rack, or {@code null}
 */
@ProviderType
public record BrokerInfo(int id, List<Endpoint> endpoints, String rack) {

    public BrokerInfo {
        endpoints = List.copyOf(endpoints);
    }
}
