package io.cairn.protocol.kafka.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBroker;
import org.apache.kafka.common.message.DescribeClusterResponseData.DescribeClusterBrokerCollection;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.LocalBroker;

/**
 * DescribeCluster (KIP-700): cluster id, controller and live brokers, which is what
 * {@code Admin.describeCluster()} asks since Kafka 2.8.
 *
 * <p>This is a broker endpoint: a v1+ request for controllers gets {@code MISMATCHED_ENDPOINT_TYPE},
 * an unknown endpoint type {@code UNSUPPORTED_ENDPOINT_TYPE}. Brokers are never fenced in Cairn's
 * cluster view, so {@code IncludeFencedBrokers} changes nothing. No authorizer exists yet, so
 * authorized operations are left "not provided".
 *
 * <p>Thread-safety: stateless apart from the thread-safe {@link LocalBroker}.
 */
final class DescribeClusterApi implements ApiHandler {

    /** Endpoint types of KIP-919. */
    private static final byte BROKER_ENDPOINT = 1;
    private static final byte CONTROLLER_ENDPOINT = 2;

    private final LocalBroker broker;

    DescribeClusterApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<DescribeClusterResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        DescribeClusterRequestData body = (DescribeClusterRequestData) request.body();
        DescribeClusterResponseData response = new DescribeClusterResponseData().setEndpointType(BROKER_ENDPOINT);
        if (request.apiVersion() >= 1 && body.endpointType() != BROKER_ENDPOINT) {
            Errors error = body.endpointType() == CONTROLLER_ENDPOINT
                    ? Errors.MISMATCHED_ENDPOINT_TYPE : Errors.UNSUPPORTED_ENDPOINT_TYPE;
            return CompletableFuture.completedFuture(response.setErrorCode(error.code())
                    .setErrorMessage("This is a broker endpoint, endpoint type " + body.endpointType()
                            + " was requested"));
        }
        ClusterView cluster = broker.cluster();
        DescribeClusterBrokerCollection brokers = new DescribeClusterBrokerCollection();
        for (AdvertisedNodes.Node node : AdvertisedNodes.forConnection(broker, cluster, connection)) {
            brokers.add(new DescribeClusterBroker().setBrokerId(node.id()).setHost(node.host()).setPort(node.port())
                    .setRack(node.rack()));
        }
        return CompletableFuture.completedFuture(response.setClusterId(cluster.clusterId())
                .setControllerId(cluster.controllerId())
                .setBrokers(brokers));
    }
}
