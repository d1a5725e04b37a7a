package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.message.FetchRequestData;
import org.apache.kafka.common.message.FetchRequestData.FetchPartition;
import org.apache.kafka.common.message.FetchRequestData.FetchTopic;
import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FetchMetadata;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.PartitionReplica;
import io.cairn.broker.spi.cluster.TopicInfo;

/**
 * Fetch (v4–v18): reads partitions up to the high watermark and answers at once if there is at
 * least {@code MinBytes}, a partition error, or {@code MaxWaitMs} is 0; otherwise waits as a
 * {@link DelayedFetch}. Record data is sent zero-copy ({@link LogRegionRecords}).
 *
 * <p>Fetch sessions (KIP-227) are refused the way Kafka refuses them when its session cache is
 * full: a full fetch request (epoch 0 or -1) is answered in full with session id 0, which tells
 * the client that no session was created, so it keeps sending full requests; an incremental
 * request (a session id with epoch &gt; 0) can only name a session this broker never created and is
 * answered with {@code FETCH_SESSION_ID_NOT_FOUND} and no partitions, after which the client
 * starts over with a full request.
 *
 * <p>Topic ids (v13+): partitions are named by topic id; an unknown id is answered per partition
 * with {@code UNKNOWN_TOPIC_ID}.
 *
 * <p>Runs on the connection's request strand; the long poll does not hold it. Thread-safety:
 * stateless apart from the thread-safe {@link LocalBroker}.
 */
final class FetchApi implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(FetchApi.class);

    private final LocalBroker broker;
    private final RequestThreads threads;

    FetchApi(LocalBroker broker, RequestThreads threads) {
        this.broker = broker;
        this.threads = threads;
    }

    @Override
    public CompletionStage<FetchResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        long arrived = System.nanoTime();
        FetchRequestData body = (FetchRequestData) request.body();
        short version = request.apiVersion();
        FetchMetadata session = new FetchMetadata(body.sessionId(), body.sessionEpoch());
        if (!session.isFull()) {
            LOG.debug("Fetch session {} (epoch {}) from {} does not exist: FETCH_SESSION_ID_NOT_FOUND",
                    body.sessionId(), body.sessionEpoch(), connection.remoteAddress());
            return CompletableFuture.completedFuture(new FetchResponseData()
                    .setErrorCode(Errors.FETCH_SESSION_ID_NOT_FOUND.code()).setSessionId(0));
        }
        int replicaId = version >= 15 ? body.replicaState().replicaId() : body.replicaId();
        FetchOperation operation = new FetchOperation(resolve(body, version), version,
                body.maxBytes() <= 0 ? Integer.MAX_VALUE : body.maxBytes(), replicaId >= 0,
                body.isolationLevel() == IsolationLevel.READ_COMMITTED.id());
        FetchOperation.Result first = operation.read();
        if (body.maxWaitMs() <= 0 || operation.isEmpty() || first.bytes() >= body.minBytes() || first.hasError()) {
            return CompletableFuture.completedFuture(first.response());
        }
        first.release();
        long waited = (System.nanoTime() - arrived) / 1_000_000;
        return DelayedFetch.start(operation, body.minBytes(), Math.max(0, body.maxWaitMs() - waited), threads,
                connection);
    }

    /** The request's partitions with their replicas, or the error each gets instead. */
    private List<FetchOperation.TopicFetch> resolve(FetchRequestData body, short version) {
        ClusterView cluster = broker.cluster();
        List<FetchOperation.TopicFetch> topics = new ArrayList<>(body.topics().size());
        for (FetchTopic topic : body.topics()) {
            String name = version >= 13 ? TopicIds.find(cluster, topic.topicId()).map(TopicInfo::name).orElse(null)
                    : topic.topic();
            List<FetchOperation.PartitionFetch> partitions = new ArrayList<>(topic.partitions().size());
            for (FetchPartition partition : topic.partitions()) {
                partitions.add(resolve(name, topic, partition, version >= 13));
            }
            topics.add(new FetchOperation.TopicFetch(name, topic.topicId(), partitions));
        }
        return topics;
    }

    private FetchOperation.PartitionFetch resolve(String name, FetchTopic topic, FetchPartition partition,
            boolean byId) {
        PartitionReplica replica = null;
        Errors error = Errors.NONE;
        String message = null;
        if (name == null) {
            error = byId ? Errors.UNKNOWN_TOPIC_ID : Errors.UNKNOWN_TOPIC_OR_PARTITION;
        } else {
            try {
                replica = broker.partition(name, partition.partition());
            } catch (BrokerException e) {
                error = KafkaErrors.of(e.error());
                message = e.getMessage();
            } catch (RuntimeException e) {
                error = KafkaErrors.of(e, "fetch from " + name + "-" + partition.partition());
            }
        }
        return new FetchOperation.PartitionFetch(Optional.ofNullable(name).orElse(topic.topic()), topic.topicId(),
                partition.partition(), partition.fetchOffset(), partition.partitionMaxBytes(),
                partition.currentLeaderEpoch(), replica, error, message);
    }
}
