package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.CreateTopicsRequestData;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableReplicaAssignment;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopic;
import org.apache.kafka.common.message.CreateTopicsRequestData.CreatableTopicConfig;
import org.apache.kafka.common.message.CreateTopicsResponseData;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicConfigs;
import org.apache.kafka.common.message.CreateTopicsResponseData.CreatableTopicResult;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.DescribeConfigsResponse.ConfigSource;

import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ConfigEntry;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.NewTopic;
import io.cairn.broker.spi.cluster.TopicInfo;

/**
 * CreateTopics (v2–v7), with per-topic errors and validate-only. Kafka's request checks come first
 * ({@code INVALID_REQUEST} for a topic named twice, or with both a partition count/replication
 * factor and explicit assignments; {@code INVALID_CONFIG} for a null config value); everything else
 * (names, counts, configs, existence) is the kernel's {@link LocalBroker#createTopic}. From v5 the
 * result carries the partition count, replication factor and the topic's effective configuration;
 * for validate-only that configuration is only the overrides asked for (the kernel describes
 * existing topics only). From v7 it carries the topic id.
 *
 * <p>Thread-safety: stateless apart from the thread-safe {@link LocalBroker}.
 */
final class CreateTopicsApi implements ApiHandler {

    private final LocalBroker broker;

    CreateTopicsApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<CreateTopicsResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        CreateTopicsRequestData body = (CreateTopicsRequestData) request.body();
        Map<String, Integer> occurrences = new HashMap<>();
        body.topics().forEach(topic -> occurrences.merge(topic.name(), 1, Integer::sum));
        CreateTopicsResponseData response = new CreateTopicsResponseData();
        for (CreatableTopic topic : body.topics()) {
            CreatableTopicResult result = new CreatableTopicResult().setName(topic.name());
            if (occurrences.get(topic.name()) > 1) {
                failed(result, Errors.INVALID_REQUEST, "Create topics request from client `"
                        + request.header().clientId() + "` contains multiple entries for the following topics: "
                        + new TreeSet<>(occurrences.entrySet().stream().filter(e -> e.getValue() > 1)
                                .map(Map.Entry::getKey).toList()));
            } else {
                create(topic, body.validateOnly(), result);
            }
            response.topics().add(result);
        }
        return CompletableFuture.completedFuture(response);
    }

    private void create(CreatableTopic topic, boolean validateOnly, CreatableTopicResult result) {
        if (!topic.assignments().isEmpty() && (topic.numPartitions() != -1 || topic.replicationFactor() != -1)) {
            failed(result, Errors.INVALID_REQUEST, "Both numPartitions or replicationFactor and replicasAssignments "
                    + "were set. Both cannot be used at the same time.");
            return;
        }
        Map<String, String> configs = new LinkedHashMap<>();
        List<String> nulls = new ArrayList<>();
        for (CreatableTopicConfig config : topic.configs()) {
            if (config.value() == null) {
                nulls.add(config.name());
            } else {
                configs.put(config.name(), config.value());
            }
        }
        if (!nulls.isEmpty()) {
            failed(result, Errors.INVALID_CONFIG, "Null value not supported for topic configs: "
                    + String.join(",", nulls));
            return;
        }
        Map<Integer, List<Integer>> assignments = new LinkedHashMap<>();
        for (CreatableReplicaAssignment assignment : topic.assignments()) {
            assignments.put(assignment.partitionIndex(), List.copyOf(assignment.brokerIds()));
        }
        try {
            TopicInfo created = broker.createTopic(new NewTopic(topic.name(), topic.numPartitions(),
                    topic.replicationFactor(), assignments, configs), validateOnly);
            result.setErrorCode(Errors.NONE.code())
                    .setTopicId(TopicIds.toKafka(created.topicId()))
                    .setNumPartitions(created.partitions().size())
                    .setReplicationFactor((short) (created.partitions().isEmpty() ? -1
                            : created.partitions().get(0).replicas().size()))
                    .setConfigs(validateOnly ? requested(configs) : described(topic.name()));
        } catch (BrokerException e) {
            failed(result, KafkaErrors.of(e.error()), e.getMessage());
        }
    }

    private List<CreatableTopicConfigs> described(String topic) {
        List<CreatableTopicConfigs> configs = new ArrayList<>();
        for (ConfigEntry entry : broker.describeTopicConfig(topic)) {
            boolean sensitive = ConfigDescriptions.sensitive(entry.name());
            configs.add(new CreatableTopicConfigs().setName(entry.name())
                    .setValue(sensitive ? null : entry.value())
                    .setReadOnly(entry.readOnly())
                    .setConfigSource(ConfigDescriptions.source(entry.source()))
                    .setIsSensitive(sensitive));
        }
        return configs;
    }

    private static List<CreatableTopicConfigs> requested(Map<String, String> overrides) {
        List<CreatableTopicConfigs> configs = new ArrayList<>();
        overrides.forEach((name, value) -> configs.add(new CreatableTopicConfigs().setName(name).setValue(value)
                .setConfigSource(ConfigSource.TOPIC_CONFIG.id())));
        return configs;
    }

    private static void failed(CreatableTopicResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message).setNumPartitions(-1).setReplicationFactor((short) -1);
    }
}
