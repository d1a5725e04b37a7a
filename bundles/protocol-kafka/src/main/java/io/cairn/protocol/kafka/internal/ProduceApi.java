package io.cairn.protocol.kafka.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.message.ProduceRequestData.PartitionProduceData;
import org.apache.kafka.common.message.ProduceRequestData.TopicProduceData;
import org.apache.kafka.common.message.ProduceResponseData;
import org.apache.kafka.common.message.ProduceResponseData.PartitionProduceResponse;
import org.apache.kafka.common.message.ProduceResponseData.TopicProduceResponse;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.AppendResult;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.PartitionReplica;
import io.cairn.broker.spi.cluster.TopicInfo;

/**
 * Produce (v3–v13): validates each partition's batch ({@link ProducedBatchValidator}) and hands it
 * to {@link PartitionReplica#append}, which assigns offsets, applies the idempotent-producer rules
 * and completes when the topic's ack strategy says so. The response waits for every partition's
 * stage.
 *
 * <p>Kafka's request-level rules, followed here:
 * <ul>
 * <li>transactional batches are refused for every partition with
 * {@code TRANSACTIONAL_ID_AUTHORIZATION_FAILED} (Kafka's answer when the producer may not use its
 * transactional id; Cairn has no transactions);</li>
 * <li>acks other than 0, 1, -1: {@code INVALID_REQUIRED_ACKS} for every partition;</li>
 * <li>unknown topic or partition: {@code UNKNOWN_TOPIC_OR_PARTITION}, by id (v13+):
 * {@code UNKNOWN_TOPIC_ID}; internal topics only from Kafka's admin client id;</li>
 * <li>{@code acks=0}: no response at all; if any partition failed, the connection is closed
 * instead, so that the producer notices and refreshes its metadata.</li>
 * </ul>
 *
 * <p>Runs on the connection's request strand, so appends of pipelined requests reach each
 * partition in request order. Thread-safety: stateless apart from the thread-safe
 * {@link LocalBroker}; the response parts are filled by the append completions and read only after
 * all of them completed.
 */
final class ProduceApi implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(ProduceApi.class);

    /** The client id under which Kafka lets a client write to internal topics. */
    private static final String ADMIN_CLIENT_ID = "__admin_client";

    private final LocalBroker broker;

    ProduceApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<ProduceResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        ProduceRequestData body = (ProduceRequestData) request.body();
        short version = request.apiVersion();
        Errors refusal = transactional(body) ? Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED
                : validAcks(body.acks()) ? Errors.NONE : Errors.INVALID_REQUIRED_ACKS;
        ProduceResponseData response = new ProduceResponseData();
        List<CompletableFuture<Void>> appends = new ArrayList<>();
        ClusterView cluster = broker.cluster();
        for (TopicProduceData topic : body.topicData()) {
            TopicProduceResponse topicResponse = new TopicProduceResponse().setName(topic.name())
                    .setTopicId(topic.topicId());
            response.responses().add(topicResponse);
            Optional<TopicInfo> info = version >= 13 ? TopicIds.find(cluster, topic.topicId())
                    : cluster.topic(topic.name());
            Errors topicError = refusal != Errors.NONE ? refusal
                    : info.isEmpty() ? (version >= 13 ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION)
                    : info.get().internal() && !ADMIN_CLIENT_ID.equals(request.header().clientId())
                            ? Errors.INVALID_TOPIC_EXCEPTION : Errors.NONE;
            for (PartitionProduceData partition : topic.partitionData()) {
                PartitionProduceResponse partitionResponse = new PartitionProduceResponse()
                        .setIndex(partition.index());
                topicResponse.partitionResponses().add(partitionResponse);
                if (topicError != Errors.NONE) {
                    fail(partitionResponse, topicError, null);
                } else {
                    appends.add(append(info.get().name(), partition, body, version, partitionResponse));
                }
            }
        }
        CompletableFuture<Void> all = CompletableFuture.allOf(appends.toArray(CompletableFuture[]::new));
        if (body.acks() == 0) {
            return all.thenApply(done -> {
                String failures = failures(response);
                if (!failures.isEmpty()) {
                    throw new CloseConnectionException("produce with acks=0 failed: " + failures);
                }
                return null;
            });
        }
        return all.thenApply(done -> response);
    }

    /** Validates and appends one partition's batch; the stage fills {@code response}, never fails. */
    private CompletableFuture<Void> append(String topic, PartitionProduceData partition, ProduceRequestData body,
            short version, PartitionProduceResponse response) {
        String partitionName = topic + "-" + partition.index();
        try {
            PartitionReplica replica = broker.partition(topic, partition.index());
            TopicRules rules = TopicRules.of(replica.config(), broker.config().messageMaxBytes());
            ProducedBatchValidator.Outcome outcome = ProducedBatchValidator.validate(
                    (MemoryRecords) partition.records(), version, partitionName, rules, System.currentTimeMillis());
            if (!outcome.accepted()) {
                LOG.debug("Refused produce to {}: {} {}", partitionName, outcome.error(), outcome.message());
                fail(response, outcome.error(), outcome.message());
                response.setRecordErrors(new ArrayList<>(outcome.recordErrors()));
                return CompletableFuture.completedFuture(null);
            }
            ByteBuffer batch = outcome.batch();
            // The request's copy is no longer needed once the partition holds the batch.
            partition.setRecords(null);
            return replica.append(batch, body.acks(), body.timeoutMs()).toCompletableFuture()
                    .handle((result, failure) -> {
                        if (failure != null) {
                            fail(response, KafkaErrors.of(failure, "produce to " + partitionName),
                                    KafkaErrors.message(failure));
                        } else {
                            succeed(response, result);
                        }
                        return null;
                    });
        } catch (BrokerException e) {
            fail(response, KafkaErrors.of(e.error()), e.getMessage());
            return CompletableFuture.completedFuture(null);
        } catch (RuntimeException e) {
            fail(response, KafkaErrors.of(e, "produce to " + partitionName), e.getMessage());
            return CompletableFuture.completedFuture(null);
        }
    }

    private static void succeed(PartitionProduceResponse response, AppendResult result) {
        response.setErrorCode(Errors.NONE.code())
                .setBaseOffset(result.baseOffset())
                .setLogAppendTimeMs(result.logAppendTime())
                .setLogStartOffset(result.logStartOffset());
    }

    private static void fail(PartitionProduceResponse response, Errors error, String message) {
        response.setErrorCode(error.code())
                .setErrorMessage(message)
                .setBaseOffset(-1)
                .setLogAppendTimeMs(RecordBatch.NO_TIMESTAMP)
                .setLogStartOffset(-1);
    }

    private static boolean validAcks(short acks) {
        return acks == 0 || acks == 1 || acks == -1;
    }

    /** Kafka's {@code RequestUtils.hasTransactionalRecords}: any partition's first batch transactional. */
    private static boolean transactional(ProduceRequestData body) {
        for (TopicProduceData topic : body.topicData()) {
            for (PartitionProduceData partition : topic.partitionData()) {
                if (partition.records() instanceof MemoryRecords records) {
                    try {
                        var batches = records.batches().iterator();
                        if (batches.hasNext() && batches.next().isTransactional()) {
                            return true;
                        }
                    } catch (RuntimeException e) {
                        // Unreadable records are refused per partition by the validator.
                    }
                }
            }
        }
        return false;
    }

    /** "topic-partition=ERROR" for every failed partition, for the log. */
    private static String failures(ProduceResponseData response) {
        StringBuilder failures = new StringBuilder();
        for (TopicProduceResponse topic : response.responses()) {
            for (PartitionProduceResponse partition : topic.partitionResponses()) {
                if (partition.errorCode() != Errors.NONE.code()) {
                    if (!failures.isEmpty()) {
                        failures.append(", ");
                    }
                    failures.append(topic.name()).append('-').append(partition.index()).append('=')
                            .append(Errors.forCode(partition.errorCode()).name());
                }
            }
        }
        return failures.toString();
    }
}
