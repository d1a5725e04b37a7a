package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.admin.AlterConfigOp;
import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterConfigsResource;
import org.apache.kafka.common.message.IncrementalAlterConfigsRequestData.AlterableConfig;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData;
import org.apache.kafka.common.message.IncrementalAlterConfigsResponseData.AlterConfigsResourceResponse;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ConfigEntry;
import io.cairn.broker.spi.cluster.LocalBroker;

/**
 * IncrementalAlterConfigs (v0–v1): SET, DELETE, APPEND and SUBTRACT per key of a topic, applied
 * through {@link LocalBroker#alterTopicConfig} without {@code replace}. APPEND and SUBTRACT work on
 * the current effective value and only for list keys ({@code cleanup.policy}), else
 * {@code INVALID_CONFIG} as in Kafka. Request checks as Kafka's: a resource named twice, a key
 * given twice, a null value for anything but DELETE, an unknown operation or resource type is
 * {@code INVALID_REQUEST}. Broker resources are read-only ({@link BrokerResources}); broker
 * loggers are not supported ({@code INVALID_REQUEST}).
 *
 * <p>Thread-safety: stateless apart from the thread-safe {@link LocalBroker}.
 */
final class IncrementalAlterConfigsApi implements ApiHandler {

    private final LocalBroker broker;

    IncrementalAlterConfigsApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<IncrementalAlterConfigsResponseData> handle(KafkaRequest request,
            ConnectionContext connection) {
        IncrementalAlterConfigsRequestData body = (IncrementalAlterConfigsRequestData) request.body();
        Map<String, Integer> occurrences = new HashMap<>();
        body.resources().forEach(r -> occurrences.merge(r.resourceType() + "/" + r.resourceName(), 1, Integer::sum));
        IncrementalAlterConfigsResponseData response = new IncrementalAlterConfigsResponseData();
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
        for (AlterableConfig config : resource.configs()) {
            names.add(config.name());
            if (AlterConfigOp.OpType.forId(config.configOperation()) == null) {
                throw new IllegalArgumentException("Unknown operations type " + config.configOperation());
            }
            if (config.configOperation() != AlterConfigOp.OpType.DELETE.id() && config.value() == null) {
                nulls.add(config.name());
            }
        }
        if (BrokerResources.hasDuplicates(names)) {
            throw new IllegalArgumentException("Error due to duplicate config keys");
        }
        if (!nulls.isEmpty()) {
            throw new IllegalArgumentException("Null value not supported for : " + String.join(", ", nulls));
        }
        if (resource.resourceType() == ConfigResource.Type.BROKER_LOGGER.id()) {
            throw new IllegalArgumentException("Broker loggers cannot be changed through Kafka's API in Cairn");
        }
        BrokerResources.alter(broker, resource.resourceType(), resource.resourceName(), () -> changes(resource),
                false, validateOnly);
    }

    private Map<String, Optional<String>> changes(AlterConfigsResource resource) {
        Map<String, String> current = null;
        Map<String, Optional<String>> changes = new LinkedHashMap<>();
        for (AlterableConfig config : resource.configs()) {
            AlterConfigOp.OpType op = AlterConfigOp.OpType.forId(config.configOperation());
            switch (op) {
                case SET -> changes.put(config.name(), Optional.of(config.value()));
                case DELETE -> changes.put(config.name(), Optional.empty());
                case APPEND, SUBTRACT -> {
                    if (!ConfigDescriptions.LIST_KEYS.contains(config.name())) {
                        throw new BrokerException(BrokerError.INVALID_CONFIG, "Config value "
                                + op.name().toLowerCase(Locale.ROOT) + " is not allowed for config key: "
                                + config.name());
                    }
                    if (current == null) {
                        current = currentValues(resource);
                    }
                    changes.put(config.name(), Optional.of(
                            listOp(op, current.getOrDefault(config.name(), ""), config.value())));
                }
                default -> throw new IllegalArgumentException("Unknown operations type " + config.configOperation());
            }
        }
        return changes;
    }

    private Map<String, String> currentValues(AlterConfigsResource resource) {
        Map<String, String> values = new HashMap<>();
        List<ConfigEntry> entries = resource.resourceType() == ConfigResource.Type.BROKER.id()
                ? broker.describeBrokerConfig() : broker.describeTopicConfig(resource.resourceName());
        for (ConfigEntry entry : entries) {
            if (entry.value() != null) {
                values.put(entry.name(), entry.value());
            }
        }
        return values;
    }

    /** Kafka's list semantics: APPEND adds values not present yet, SUBTRACT removes them. */
    static String listOp(AlterConfigOp.OpType op, String current, String operand) {
        List<String> values = new ArrayList<>(Arrays.stream(current.split(",")).map(String::trim)
                .filter(v -> !v.isEmpty()).toList());
        List<String> given = Arrays.stream(operand.split(",")).map(String::trim).filter(v -> !v.isEmpty()).toList();
        if (op == AlterConfigOp.OpType.APPEND) {
            given.stream().filter(v -> !values.contains(v)).forEach(values::add);
        } else {
            values.removeAll(given);
        }
        return String.join(",", values);
    }

    private static void fail(AlterConfigsResourceResponse result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }
}
