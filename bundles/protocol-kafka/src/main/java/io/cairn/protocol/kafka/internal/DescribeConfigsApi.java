package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.config.ConfigResource;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.DescribeConfigsRequestData;
import org.apache.kafka.common.message.DescribeConfigsRequestData.DescribeConfigsResource;
import org.apache.kafka.common.message.DescribeConfigsResponseData;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResourceResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsResult;
import org.apache.kafka.common.message.DescribeConfigsResponseData.DescribeConfigsSynonym;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ConfigEntry;
import io.cairn.broker.spi.cluster.LocalBroker;

/**
 * DescribeConfigs (v1–v4) of topics and of this broker, from the kernel's
 * {@link LocalBroker#describeTopicConfig} and {@link LocalBroker#describeBrokerConfig}.
 *
 * <p>As in Kafka: an invalid topic name is {@code INVALID_TOPIC_EXCEPTION}; a broker resource must
 * name this broker's id ({@code INVALID_REQUEST} otherwise), or be empty for the cluster-wide
 * dynamic defaults, of which Cairn has none; other resource types (broker loggers, client metrics,
 * groups) are {@code INVALID_REQUEST}. Sensitive values are hidden. Synonyms (v1+ on request) list
 * the entry's own source only: the kernel's API does not say which broker key a topic key defaults
 * from.
 *
 * <p>Thread-safety: stateless apart from the thread-safe {@link LocalBroker}.
 */
final class DescribeConfigsApi implements ApiHandler {

    private final LocalBroker broker;

    DescribeConfigsApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<DescribeConfigsResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        DescribeConfigsRequestData body = (DescribeConfigsRequestData) request.body();
        DescribeConfigsResponseData response = new DescribeConfigsResponseData();
        for (DescribeConfigsResource resource : body.resources()) {
            DescribeConfigsResult result = new DescribeConfigsResult().setResourceType(resource.resourceType())
                    .setResourceName(resource.resourceName());
            response.results().add(result);
            try {
                List<ConfigEntry> entries = entries(resource);
                // Kafka: a null or empty key list means every key.
                Set<String> keys = resource.configurationKeys() == null || resource.configurationKeys().isEmpty()
                        ? null : new HashSet<>(resource.configurationKeys());
                List<DescribeConfigsResourceResult> configs = new ArrayList<>();
                for (ConfigEntry entry : entries) {
                    if (keys == null || keys.contains(entry.name())) {
                        configs.add(describe(entry, body.includeSynonyms(), body.includeDocumentation()));
                    }
                }
                result.setErrorCode(Errors.NONE.code()).setConfigs(configs);
            } catch (BrokerException e) {
                result.setErrorCode(KafkaErrors.of(e.error()).code()).setErrorMessage(e.getMessage());
            } catch (InvalidTopicException e) {
                result.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code()).setErrorMessage(e.getMessage());
            } catch (IllegalArgumentException e) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage(e.getMessage());
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private List<ConfigEntry> entries(DescribeConfigsResource resource) {
        ConfigResource.Type type = ConfigResource.Type.forId(resource.resourceType());
        if (type == ConfigResource.Type.TOPIC) {
            Topic.validate(resource.resourceName());
            return broker.describeTopicConfig(resource.resourceName());
        }
        if (type == ConfigResource.Type.BROKER) {
            if (resource.resourceName().isEmpty()) {
                return List.of();
            }
            BrokerResources.checkThisBroker(resource.resourceName(), broker.brokerId());
            return broker.describeBrokerConfig();
        }
        throw new IllegalArgumentException("Unsupported resource type " + type + " (" + resource.resourceType() + ")");
    }

    private static DescribeConfigsResourceResult describe(ConfigEntry entry, boolean synonyms, boolean docs) {
        boolean sensitive = ConfigDescriptions.sensitive(entry.name());
        String value = sensitive ? null : entry.value();
        byte source = ConfigDescriptions.source(entry.source());
        DescribeConfigsResourceResult result = new DescribeConfigsResourceResult().setName(entry.name())
                .setValue(value)
                .setReadOnly(entry.readOnly())
                .setConfigSource(source)
                .setIsSensitive(sensitive)
                .setConfigType(ConfigDescriptions.type(entry.name()))
                .setDocumentation(docs ? ConfigDescriptions.documentation(entry.name()) : null);
        if (synonyms) {
            result.setSynonyms(new ArrayList<>(List.of(new DescribeConfigsSynonym().setName(entry.name())
                    .setValue(value).setSource(source))));
        }
        return result;
    }
}
