package io.cairn.protocol.kafka.internal;

import java.util.Collection;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersionCollection;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.ApiVersionsRequest;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.LocalBroker;

/**
 * ApiVersions: tells a client which APIs and versions this broker answers — exactly those of
 * {@link KafkaApis}, nothing more.
 *
 * <p>Kafka's rules, followed here:
 * <ul>
 * <li>A version newer than supported is answered in version 0 with {@code UNSUPPORTED_VERSION} and,
 * since Kafka 2.4 (KIP-511), the ApiVersions entry only, from which the client picks the version
 * to retry with on the same connection.</li>
 * <li>A v3+ request whose client software name or version breaks Kafka's pattern, or a v5 request
 * with only one of cluster id and node id, gets {@code INVALID_REQUEST}.</li>
 * <li>A v5 request naming another cluster or node (KIP-1242: a stale bootstrap address now reaches
 * another broker) gets {@code REBOOTSTRAP_REQUIRED}.</li>
 * </ul>
 *
 * <p>Thread-safety: immutable; the advertised collection is a read-only view filled before the
 * first request.
 */
final class ApiVersionsApi implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ApiVersionsApi.class);

    private final LocalBroker broker;
    private final Collection<SupportedApi> advertised;

    ApiVersionsApi(LocalBroker broker, Collection<SupportedApi> advertised) {
        this.broker = broker;
        this.advertised = advertised;
    }

    @Override
    public CompletionStage<ApiVersionsResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        return CompletableFuture.completedFuture(respond(request, connection));
    }

    private ApiVersionsResponseData respond(KafkaRequest request, ConnectionContext connection) {
        ApiVersionsResponseData response = new ApiVersionsResponseData();
        if (request.versionUnsupported()) {
            LOG.debug("ApiVersions v{} from {} is newer than supported, answering UNSUPPORTED_VERSION",
                    request.apiVersion(), connection.remoteAddress());
            return response.setErrorCode(Errors.UNSUPPORTED_VERSION.code())
                    .setApiKeys(apiVersions(ApiKeys.API_VERSIONS));
        }
        ApiVersionsRequestData body = (ApiVersionsRequestData) request.body();
        short version = request.apiVersion();
        if (!new ApiVersionsRequest(body, version).isValid()) {
            return response.setErrorCode(Errors.INVALID_REQUEST.code());
        }
        if (version >= 5 && body.clusterId() != null && misrouted(body)) {
            LOG.info("Kafka client at {} expected broker {} of cluster {}, this is broker {}: REBOOTSTRAP_REQUIRED",
                    connection.remoteAddress(), body.nodeId(), body.clusterId(), broker.brokerId());
            return response.setErrorCode(Errors.REBOOTSTRAP_REQUIRED.code());
        }
        if (version >= 3) {
            LOG.debug("Kafka client {} {} connected from {}", body.clientSoftwareName(),
                    body.clientSoftwareVersion(), connection.remoteAddress());
        }
        return response.setApiKeys(apiVersions(null));
    }

    private boolean misrouted(ApiVersionsRequestData body) {
        return body.nodeId() != broker.brokerId() || !Objects.equals(body.clusterId(), broker.cluster().clusterId());
    }

    /** The advertised entries, or only {@code only}'s when it is not null. */
    private ApiVersionCollection apiVersions(ApiKeys only) {
        ApiVersionCollection versions = new ApiVersionCollection();
        for (SupportedApi api : advertised) {
            if (only == null || api.apiKey() == only) {
                versions.add(api.toApiVersion());
            }
        }
        return versions;
    }
}
