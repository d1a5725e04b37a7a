package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.AlterConfigsRequestData;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.AlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.AlterConfigsResponseData;
import org.apache.kafka.common.message.AlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.LocalBroker;

/**
 * AlterConfigs (v0–v2), the legacy whole-set replacement: a topic's overrides become exactly the
 * ones given ({@link LocalBroker#alterTopicConfig} with {@code replace}). Kafka's request checks
 * first: a resource named twice, a key given twice, or a null value is {@code INVALID_REQUEST}; a
 * resource type other than topic or broker is {@code INVALID_REQUEST}. Broker resources are
 * read-only ({@link BrokerResources}).
 *
 * <p>Thread-safety: stateless apart from the thread-safe {@link LocalBroker}.
 */
final class AlterConfigsApi implements ApiHandler {

    private final LocalBroker broker;

    AlterConfigsApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<AlterConfigsResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        AlterConfigsRequestData body = (AlterConfigsRequestData) request.body();
        Map<String, Integer> occurrences = new HashMap<>();
        body.resources().forEach(r -> occurrences.merge(r.resourceType() + "/" + r.resourceName(), 1, Integer::sum));
        AlterConfigsResponseData response = new AlterConfigsResponseData();
        for (AlterConfigsResource resource : body.resources()) {
            AlterConfigsResourceResponse result = new AlterConfigsResourceResponse()
                    .setResourceType(resource.resourceType()).setResourceName(resource.resourceName());
            response.responses().add(result);
            if (occurrences.get(resource.resourceType() + "/" + resource.resourceName()) > 1) {
                fail(result, Errors.INVALID_REQUEST, "Each resource must appear at most once.");
                continue;
            }
            try {
                alter(resource, body.validateOnly());
            } catch (BrokerException e) {
                fail(result, KafkaErrors.of(e.error()), e.getMessage());
            } catch (IllegalArgumentException e) {
                fail(result, Errors.INVALID_REQUEST, e.getMessage());
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private void alter(AlterConfigsResource resource, boolean validateOnly) {
        List<String> names = new ArrayList<>();
        List<String> nulls = new ArrayList<>();
        Map<String, Optional<String>> changes = new LinkedHashMap<>();
        for (AlterableConfig config : resource.configs()) {
            names.add(config.name());
            if (config.value() == null) {
                nulls.add(config.name());
            }
            changes.put(config.name(), Optional.ofNullable(config.value()));
        }
        if (BrokerResources.hasDuplicates(names)) {
            throw new IllegalArgumentException("Error due to duplicate config keys");
        }
        if (!nulls.isEmpty()) {
            throw new IllegalArgumentException("Null value not supported for : " + String.join(", ", nulls));
        }
        BrokerResources.alter(broker, resource.resourceType(), resource.resourceName(), () -> changes, true,
                validateOnly);
    }

    private static void fail(AlterConfigsResourceResponse result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }
}
