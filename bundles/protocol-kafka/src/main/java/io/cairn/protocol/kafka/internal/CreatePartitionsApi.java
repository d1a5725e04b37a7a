package io.cairn.protocol.kafka.internal;

import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.CreatePartitionsRequestData;
import org.apache.kafka.common.message.CreatePartitionsRequestData.CreatePartitionsTopic;
import org.apache.kafka.common.message.CreatePartitionsResponseData;
import org.apache.kafka.common.message.CreatePartitionsResponseData.CreatePartitionsTopicResult;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.LocalBroker;

/**
 * CreatePartitions (v0–v3): raises a topic's partition count through
 * {@link LocalBroker#createPartitions}, with validate-only. A topic named twice is
 * {@code INVALID_REQUEST}, as in Kafka. Explicit replica assignments for the new partitions are
 * refused with {@code INVALID_REPLICA_ASSIGNMENT}: the kernel's API assigns replicas itself and
 * takes none, and silently placing them elsewhere would be worse than saying so.
 *
 * <p>Thread-safety: stateless apart from the thread-safe {@link LocalBroker}.
 */
final class CreatePartitionsApi implements ApiHandler {

    private final LocalBroker broker;

    CreatePartitionsApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<CreatePartitionsResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        CreatePartitionsRequestData body = (CreatePartitionsRequestData) request.body();
        Map<String, Integer> occurrences = new HashMap<>();
        body.topics().forEach(topic -> occurrences.merge(topic.name(), 1, Integer::sum));
        CreatePartitionsResponseData response = new CreatePartitionsResponseData();
        for (CreatePartitionsTopic topic : body.topics()) {
            CreatePartitionsTopicResult result = new CreatePartitionsTopicResult().setName(topic.name());
            response.results().add(result);
            if (occurrences.get(topic.name()) > 1) {
                result.setErrorCode(Errors.INVALID_REQUEST.code()).setErrorMessage("Duplicate topic in request.");
            } else if (topic.assignments() != null) {
                result.setErrorCode(Errors.INVALID_REPLICA_ASSIGNMENT.code()).setErrorMessage(
                        "Explicit replica assignments of new partitions are not supported: Cairn assigns them");
            } else {
                try {
                    broker.createPartitions(topic.name(), topic.count(), body.validateOnly());
                } catch (BrokerException e) {
                    result.setErrorCode(KafkaErrors.of(e.error()).code()).setErrorMessage(e.getMessage());
                }
            }
        }
        return CompletableFuture.completedFuture(response);
    }
}
