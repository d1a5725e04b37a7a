package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.DeleteTopicsRequestData;
import org.apache.kafka.common.message.DeleteTopicsRequestData.DeleteTopicState;
import org.apache.kafka.common.message.DeleteTopicsResponseData;
import org.apache.kafka.common.message.DeleteTopicsResponseData.DeletableTopicResult;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.TopicInfo;

/**
 * DeleteTopics (v1–v6): by name, and from v6 by topic id ({@code UNKNOWN_TOPIC_ID} if no topic has
 * it). A topic named twice, or given both a name and an id, is {@code INVALID_REQUEST}, as in
 * Kafka. Deletion itself, and its refusals, are the kernel's {@link LocalBroker#deleteTopic}.
 *
 * <p>Thread-safety: stateless apart from the thread-safe {@link LocalBroker}.
 */
final class DeleteTopicsApi implements ApiHandler {

    private final LocalBroker broker;

    DeleteTopicsApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<DeleteTopicsResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        DeleteTopicsRequestData body = (DeleteTopicsRequestData) request.body();
        List<DeleteTopicState> wanted = new ArrayList<>();
        if (request.apiVersion() >= 6) {
            wanted.addAll(body.topics());
        } else {
            body.topicNames().forEach(name -> wanted.add(new DeleteTopicState().setName(name)));
        }
        ClusterView cluster = broker.cluster();
        List<DeletableTopicResult> results = new ArrayList<>();
        Map<String, Integer> occurrences = new HashMap<>();
        for (DeleteTopicState state : wanted) {
            DeletableTopicResult result = new DeletableTopicResult().setName(state.name()).setTopicId(state.topicId());
            results.add(result);
            boolean byId = state.name() == null;
            if (!byId && !Uuid.ZERO_UUID.equals(state.topicId())) {
                fail(result, Errors.INVALID_REQUEST, "Topic name and topic id cannot both be specified.");
                continue;
            }
            Optional<TopicInfo> topic = byId ? TopicIds.find(cluster, state.topicId()) : cluster.topic(state.name());
            if (byId && topic.isEmpty()) {
                fail(result, Errors.UNKNOWN_TOPIC_ID, "Topic id " + state.topicId() + " does not exist.");
                continue;
            }
            String name = byId ? topic.get().name() : state.name();
            result.setName(name);
            topic.ifPresent(t -> result.setTopicId(TopicIds.toKafka(t.topicId())));
            occurrences.merge(name, 1, Integer::sum);
        }
        for (DeletableTopicResult result : results) {
            if (result.errorCode() != Errors.NONE.code()) {
                continue;
            }
            if (occurrences.get(result.name()) > 1) {
                fail(result, Errors.INVALID_REQUEST, "Duplicate topic name " + result.name() + " in the request.");
                continue;
            }
            try {
                broker.deleteTopic(result.name());
            } catch (BrokerException e) {
                fail(result, KafkaErrors.of(e.error()), e.getMessage());
            }
        }
        DeleteTopicsResponseData response = new DeleteTopicsResponseData();
        results.forEach(response.responses()::add);
        return CompletableFuture.completedFuture(response);
    }

    private static void fail(DeletableTopicResult result, Errors error, String message) {
        result.setErrorCode(error.code()).setErrorMessage(message);
    }
}
