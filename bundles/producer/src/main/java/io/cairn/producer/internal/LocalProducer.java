package io.cairn.producer.internal;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.function.LongSupplier;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.AppendResult;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ConfigEntry;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.PartitionState;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.partitioner.spi.PartitionInfo;
import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;
import io.cairn.partitioner.spi.PartitionerException;
import io.cairn.producer.Header;
import io.cairn.producer.Producer;
import io.cairn.producer.ProducerException;
import io.cairn.producer.ProducerException.Reason;
import io.cairn.producer.ProducerRecord;
import io.cairn.producer.SendResult;

/**
 * The {@link Producer} service over the local broker.
 *
 * <p>Per topic and call: the topic is looked up (and auto-created if the broker allows); records
 * without a partition are placed by the partitioner the topic's {@code cairn.partitioner} names,
 * awaited up to {@code cairn.plugin.wait.ms} if missing (never replaced by another); records are
 * grouped by partition in call order, encoded as v2 batches no larger than the topic's
 * {@code max.message.bytes} ({@link RecordBatchEncoder}) and appended with {@code acks=all}.
 *
 * <p>Records named to a partition do not ask the partitioner: the partitioner contract sends them
 * there anyway, and a write the caller has placed should not wait for a partitioner it does not use.
 *
 * <p>Thread-safe. Calls run on the caller's thread while the partitioner is present; when it must
 * be awaited, the rest of the call runs on this component's one timer thread, in call order.
 */
@Component(service = Producer.class)
public final class LocalProducer implements Producer {

    private static final Logger LOG = LoggerFactory.getLogger(LocalProducer.class);

    static final String PARTITIONER_KEY = "cairn.partitioner";
    static final String DEFAULT_PARTITIONER = "keyhash";
    static final String WAIT_KEY = "cairn.plugin.wait.ms";
    static final long DEFAULT_WAIT_MS = 10_000;
    /** Kafka's default {@code max.message.bytes} (1 MiB + 12 bytes of log overhead), if the topic shows none. */
    static final int DEFAULT_MAX_BATCH_BYTES = 1_048_588;
    /** How long an append may wait for the ack strategy: Kafka's producer default {@code request.timeout.ms}. */
    static final long APPEND_TIMEOUT_MS = 30_000;

    private final LocalBroker broker;
    private final LongSupplier clock;
    private final ScheduledExecutorService timer;
    private final PartitionerTracker partitioners;

    @Activate
    public LocalProducer(@Reference LocalBroker broker) {
        this(broker, System::currentTimeMillis);
    }

    LocalProducer(LocalBroker broker, LongSupplier clock) {
        this.broker = broker;
        this.clock = clock;
        ScheduledThreadPoolExecutor t = new ScheduledThreadPoolExecutor(1, r -> {
            Thread thread = new Thread(r, "cairn-producer");
            thread.setDaemon(true);
            return thread;
        });
        t.setRemoveOnCancelPolicy(true);
        this.timer = t;
        this.partitioners = new PartitionerTracker(timer, timer);
    }

    @Reference(service = Partitioner.class, cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + Partitioner.NAME_PROPERTY + "=*)")
    void bindPartitioner(Partitioner partitioner, Map<String, Object> properties) {
        String name = String.valueOf(properties.get(Partitioner.NAME_PROPERTY));
        long id = ((Number) properties.get(Constants.SERVICE_ID)).longValue();
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        partitioners.add(name, id, ranking instanceof Integer r ? r : 0, partitioner);
        LOG.debug("Partitioner {} (service {}) available", name, id);
    }

    void unbindPartitioner(Partitioner partitioner, Map<String, Object> properties) {
        long id = ((Number) properties.get(Constants.SERVICE_ID)).longValue();
        partitioners.remove(id);
        LOG.debug("Partitioner {} (service {}) gone", properties.get(Partitioner.NAME_PROPERTY), id);
    }

    /** For tests and the constructor's callers that are not SCR. */
    void addPartitioner(String name, long serviceId, int ranking, Partitioner partitioner) {
        partitioners.add(name, serviceId, ranking, partitioner);
    }

    void removePartitioner(long serviceId) {
        partitioners.remove(serviceId);
    }

    @Deactivate
    void deactivate() {
        partitioners.failAll(new ProducerException(Reason.BROKER_ERROR, "BROKER_NOT_AVAILABLE",
                "The producer service is stopping", null));
        timer.shutdownNow();
    }

    @Override
    public CompletionStage<SendResult> send(ProducerRecord record) {
        return sendAll(List.of(record)).get(0);
    }

    @Override
    public List<CompletionStage<SendResult>> sendAll(List<ProducerRecord> records) {
        List<CompletableFuture<SendResult>> results = new ArrayList<>(records.size());
        Map<String, List<Integer>> byTopic = new LinkedHashMap<>();
        for (int i = 0; i < records.size(); i++) {
            results.add(new CompletableFuture<>());
            byTopic.computeIfAbsent(records.get(i).topic(), t -> new ArrayList<>()).add(i);
        }
        byTopic.forEach((topic, indexes) -> {
            try {
                sendToTopic(topic, indexes, records, results);
            } catch (RuntimeException e) {
                ProducerException failure = asProducerException(e);
                indexes.forEach(i -> results.get(i).completeExceptionally(failure));
            }
        });
        return List.copyOf(results);
    }

    private void sendToTopic(String topic, List<Integer> indexes, List<ProducerRecord> records,
            List<CompletableFuture<SendResult>> results) {
        TopicInfo info = topic(topic);
        Map<String, String> config = topicConfig(topic);
        boolean allNamed = indexes.stream().allMatch(i -> records.get(i).partition().isPresent());
        if (allNamed) {
            place(info, config, null, indexes, records, results);
            return;
        }
        String name = config.getOrDefault(PARTITIONER_KEY,
                broker.config().get(PARTITIONER_KEY).orElse(DEFAULT_PARTITIONER));
        long waitMs = broker.config().get(WAIT_KEY).map(Long::parseLong).orElse(DEFAULT_WAIT_MS);
        CompletableFuture<Partitioner> partitioner = partitioners.await(name, waitMs,
                () -> new ProducerException(Reason.PARTITIONER_UNAVAILABLE, null, "Partitioner '" + name
                        + "' (cairn.partitioner of topic '" + topic + "') has not been available for " + waitMs
                        + " ms; records of this topic are not placed by any other partitioner, so that keys keep"
                        + " their partitions. Install a bundle offering it or change the topic's cairn.partitioner.",
                        null));
        if (partitioner.isDone() && !partitioner.isCompletedExceptionally()) {
            place(info, config, partitioner.join(), indexes, records, results);
            return;
        }
        LOG.debug("Waiting up to {} ms for partitioner {} of topic {}", waitMs, name, topic);
        partitioner.whenComplete((p, failure) -> {
            if (failure != null) {
                ProducerException e = asProducerException(failure);
                LOG.warn("Records for topic {} refused: {}", topic, e.getMessage());
                indexes.forEach(i -> results.get(i).completeExceptionally(e));
                return;
            }
            try {
                // The topic may have changed while waiting: look again.
                place(topic(topic), config, p, indexes, records, results);
            } catch (RuntimeException e) {
                ProducerException pe = asProducerException(e);
                indexes.forEach(i -> results.get(i).completeExceptionally(pe));
            }
        });
    }

    /** Chooses partitions, groups records by partition in order, and appends one batch run per partition. */
    private void place(TopicInfo info, Map<String, String> config, Partitioner partitioner, List<Integer> indexes,
            List<ProducerRecord> records, List<CompletableFuture<SendResult>> results) {
        List<PartitionInfo> partitions = new ArrayList<>(info.partitions().size());
        for (PartitionState s : info.partitions()) {
            partitions.add(new PartitionInfo(s.partition(), Math.max(PartitionInfo.NO_LEADER, s.leader())));
        }
        partitions.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        Map<Integer, List<Integer>> byPartition = new LinkedHashMap<>();
        for (int i : indexes) {
            ProducerRecord r = records.get(i);
            try {
                byPartition.computeIfAbsent(choose(info.name(), partitions, partitioner, r), p -> new ArrayList<>()).add(i);
            } catch (ProducerException e) {
                results.get(i).completeExceptionally(e);
            }
        }
        int maxBatchBytes = Optional.ofNullable(config.get("max.message.bytes")).map(Integer::parseInt)
                .orElse(DEFAULT_MAX_BATCH_BYTES);
        byPartition.forEach((p, members) -> append(info.name(), p, members, records, results, maxBatchBytes));
    }

    private int choose(String topic, List<PartitionInfo> partitions, Partitioner partitioner, ProducerRecord r) {
        int count = partitions.size();
        if (r.partition().isPresent()) {
            int p = r.partition().getAsInt();
            if (p >= count) {
                throw new ProducerException(Reason.UNKNOWN_PARTITION, null,
                        PartitionerException.noSuchPartition(topic, p, count).getMessage(), null);
            }
            return p;
        }
        PartitionRequest.Builder request = PartitionRequest.builder(topic, partitions).key(r.key()).value(r.value());
        for (Header h : r.headers()) {
            request.header(h.key(), h.value());
        }
        int p;
        try {
            p = partitioner.partition(request.build());
        } catch (PartitionerException e) {
            throw new ProducerException(Reason.INVALID_RECORD, null, e.getMessage(), e);
        } catch (RuntimeException e) {
            LOG.error("Partitioner for topic {} failed", topic, e);
            throw new ProducerException(Reason.BROKER_ERROR, "UNKNOWN_SERVER_ERROR",
                    "The partitioner of topic '" + topic + "' failed: " + e, e);
        }
        if (p < 0 || p >= count) {
            throw new ProducerException(Reason.BROKER_ERROR, "UNKNOWN_SERVER_ERROR", "The partitioner of topic '"
                    + topic + "' chose partition " + p + ", outside 0 to " + (count - 1), null);
        }
        return p;
    }

    /** Appends the records, in order, as consecutive batches each within {@code maxBatchBytes}. */
    private void append(String topic, int partition, List<Integer> members, List<ProducerRecord> records,
            List<CompletableFuture<SendResult>> results, int maxBatchBytes) {
        List<OutgoingRecord> batch = new ArrayList<>();
        List<Integer> batchMembers = new ArrayList<>();
        int batchBytes = RecordBatchEncoder.HEADER_BYTES;
        long now = clock.getAsLong();
        for (int i : members) {
            ProducerRecord r = records.get(i);
            OutgoingRecord out = new OutgoingRecord(r.key(), r.value(), r.headers(), r.timestamp().orElse(now));
            long base = batch.isEmpty() ? out.timestamp() : batch.get(0).timestamp();
            int size = RecordBatchEncoder.sizeInBatch(out, out.timestamp() - base, batch.size());
            if (!batch.isEmpty() && batchBytes + size > maxBatchBytes) {
                appendBatch(topic, partition, batch, batchMembers, results);
                batch = new ArrayList<>();
                batchMembers = new ArrayList<>();
                batchBytes = RecordBatchEncoder.HEADER_BYTES;
                size = RecordBatchEncoder.sizeInBatch(out, 0, 0);
            }
            if (batch.isEmpty() && RecordBatchEncoder.HEADER_BYTES + size > maxBatchBytes) {
                results.get(i).completeExceptionally(new ProducerException(Reason.RECORD_TOO_LARGE, null, "A record of "
                        + (RecordBatchEncoder.HEADER_BYTES + size) + " bytes (as a batch) exceeds max.message.bytes "
                        + maxBatchBytes + " of topic '" + topic + "'", null));
                continue;
            }
            batch.add(out);
            batchMembers.add(i);
            batchBytes += size;
        }
        if (!batch.isEmpty()) {
            appendBatch(topic, partition, batch, batchMembers, results);
        }
    }

    private void appendBatch(String topic, int partition, List<OutgoingRecord> batch, List<Integer> members,
            List<CompletableFuture<SendResult>> results) {
        ByteBuffer encoded = RecordBatchEncoder.encode(batch);
        CompletionStage<AppendResult> appended;
        try {
            appended = broker.partition(topic, partition).append(encoded, (short) -1, APPEND_TIMEOUT_MS);
        } catch (RuntimeException e) {
            ProducerException pe = asProducerException(e);
            members.forEach(i -> results.get(i).completeExceptionally(pe));
            return;
        }
        appended.whenComplete((result, failure) -> {
            if (failure != null) {
                ProducerException pe = asProducerException(failure);
                members.forEach(i -> results.get(i).completeExceptionally(pe));
                return;
            }
            for (int k = 0; k < members.size(); k++) {
                long timestamp = result.logAppendTime() >= 0 ? result.logAppendTime() : batch.get(k).timestamp();
                results.get(members.get(k)).complete(new SendResult(topic, partition, result.baseOffset() + k, timestamp));
            }
        });
    }

    /** The topic, created first if it does not exist and the broker allows it. */
    private TopicInfo topic(String topic) {
        Optional<TopicInfo> info = broker.cluster().topic(topic);
        if (info.isEmpty() && broker.autoCreateTopic(topic)) {
            info = broker.cluster().topic(topic);
        }
        return info.orElseThrow(() -> new ProducerException(Reason.UNKNOWN_TOPIC, "UNKNOWN_TOPIC_OR_PARTITION",
                "Topic '" + topic + "' does not exist", null));
    }

    private Map<String, String> topicConfig(String topic) {
        Map<String, String> config = new LinkedHashMap<>();
        for (ConfigEntry e : broker.describeTopicConfig(topic)) {
            if (e.value() != null) {
                config.put(e.name(), e.value());
            }
        }
        return config;
    }

    static ProducerException asProducerException(Throwable t) {
        Throwable cause = t;
        while (cause instanceof CompletionException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        if (cause instanceof ProducerException pe) {
            return pe;
        }
        if (cause instanceof BrokerException be) {
            Reason reason = switch (be.error()) {
                case UNKNOWN_TOPIC_OR_PARTITION, INVALID_TOPIC_EXCEPTION -> Reason.UNKNOWN_TOPIC;
                case MESSAGE_TOO_LARGE, RECORD_LIST_TOO_LARGE -> Reason.RECORD_TOO_LARGE;
                default -> Reason.BROKER_ERROR;
            };
            return new ProducerException(reason, be.error().name(), be.getMessage(), be);
        }
        LOG.error("Send failed unexpectedly", cause);
        return new ProducerException(Reason.BROKER_ERROR, "UNKNOWN_SERVER_ERROR", String.valueOf(cause), cause);
    }
}
