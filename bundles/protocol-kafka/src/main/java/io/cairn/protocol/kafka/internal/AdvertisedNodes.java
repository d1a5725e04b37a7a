package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import io.cairn.broker.spi.cluster.BrokerConfig;
import io.cairn.broker.spi.cluster.BrokerInfo;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.Endpoint;
import io.cairn.broker.spi.cluster.LocalBroker;

/**
 * The brokers a client is told about in Metadata and DescribeCluster: for each live broker, the
 * advertised endpoint of the listener the request came in on, as Kafka does, so that a client that
 * connected through {@code INTERNAL} is sent to other brokers' {@code INTERNAL} endpoints. A broker
 * without that listener is given its first endpoint instead; a broker without endpoints is left out.
 *
 * <p>For this broker, two gaps are filled from the connection itself, because only this bundle
 * knows them: an advertised port 0 (the listener bound a free port) becomes the port the client
 * reached, and an empty advertised host becomes the address the client reached. If the cluster view
 * does not list this broker yet, it is added from its configured {@code advertised.listeners}.
 *
 * <p>Thread-safety: stateless.
 */
final class AdvertisedNodes {

    /** A broker as a client should reach it. */
    record Node(int id, String host, int port, String rack) {
    }

    private AdvertisedNodes() {
    }

    /** The nodes of {@code cluster} for a client on {@code connection}, ordered by broker id. */
    static List<Node> forConnection(LocalBroker local, ClusterView cluster, ConnectionContext connection) {
        List<Node> nodes = new ArrayList<>();
        int localId = local.brokerId();
        boolean localListed = false;
        for (BrokerInfo broker : cluster.brokers()) {
            localListed |= broker.id() == localId;
            node(broker.id(), broker.endpoints(), broker.rack(), broker.id() == localId, connection)
                    .ifPresent(nodes::add);
        }
        if (!localListed) {
            BrokerConfig config = local.config();
            node(localId, config.advertisedListeners(), config.get("broker.rack").orElse(null), true, connection)
                    .ifPresent(n -> nodes.add(insertionPoint(nodes, localId), n));
        }
        return nodes;
    }

    private static Optional<Node> node(int id, List<Endpoint> endpoints, String rack, boolean local,
            ConnectionContext connection) {
        Optional<Endpoint> endpoint = endpoints.stream()
                .filter(e -> e.listenerName().equalsIgnoreCase(connection.listenerName()))
                .findFirst()
                .or(() -> endpoints.stream().findFirst());
        return endpoint.map(e -> {
            String host = e.host();
            int port = e.port();
            if (local && host.isEmpty()) {
                host = connection.localAddress().getAddress().getHostAddress();
            }
            if (local && port == 0) {
                port = connection.localAddress().getPort();
            }
            return new Node(id, host, port, rack);
        });
    }

    private static int insertionPoint(List<Node> nodes, int id) {
        int index = 0;
        while (index < nodes.size() && nodes.get(index).id() < id) {
            index++;
        }
        return index;
    }
}
