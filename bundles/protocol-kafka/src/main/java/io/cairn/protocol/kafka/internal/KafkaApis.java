package io.cairn.protocol.kafka.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import io.cairn.broker.spi.cluster.LocalBroker;

/**
 * The Kafka APIs this broker implements, with the versions of each, and the dispatch of a decoded
 * request to its handler. ApiVersions advertises exactly this table.
 *
 * <p>Versions (all read and written with kafka-clients' generated classes):
 * <ul>
 * <li>ApiVersions 0–5: every version kafka-clients 4.4 knows;</li>
 * <li>Metadata 0–13: librdkafka 2.x uses up to 12, kafka-clients 3.9 up to 12, 4.4 up to 13;</li>
 * <li>DescribeCluster 0–2: {@code Admin.describeCluster()} (v2 in kafka-clients 4.x).</li>
 * </ul>
 *
 * <p>Thread-safety: immutable after construction; shared by all connections of all listeners.
 */
final class KafkaApis {

    private final Map<ApiKeys, SupportedApi> apis = new EnumMap<>(ApiKeys.class);

    KafkaApis(LocalBroker broker) {
        Collection<SupportedApi> advertised = Collections.unmodifiableCollection(apis.values());
        add(new SupportedApi(ApiKeys.API_VERSIONS, (short) 0, (short) 5, new ApiVersionsApi(broker, advertised)));
        add(new SupportedApi(ApiKeys.METADATA, (short) 0, (short) 13, new MetadataApi(broker)));
        add(new SupportedApi(ApiKeys.DESCRIBE_CLUSTER, (short) 0, (short) 2, new DescribeClusterApi(broker)));
    }

    private void add(SupportedApi api) {
        apis.put(api.apiKey(), api);
    }

    /** The implemented version range of {@code apiKey}, if it is implemented at all. */
    Optional<SupportedApi> supported(ApiKeys apiKey) {
        return Optional.ofNullable(apis.get(apiKey));
    }

    /**
     * Hands {@code request} to its API's handler. The decoder has already refused APIs and
     * versions that are not implemented.
     */
    CompletionStage<? extends ApiMessage> handle(KafkaRequest request, ConnectionContext connection) {
        return apis.get(request.apiKey()).handler().handle(request, connection);
    }
}
