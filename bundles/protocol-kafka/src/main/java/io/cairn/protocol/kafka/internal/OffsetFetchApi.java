package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.message.OffsetFetchRequestData;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestGroup;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopic;
import org.apache.kafka.common.message.OffsetFetchRequestData.OffsetFetchRequestTopics;
import org.apache.kafka.common.message.OffsetFetchResponseData;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseGroup;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartition;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponsePartitions;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopic;
import org.apache.kafka.common.message.OffsetFetchResponseData.OffsetFetchResponseTopics;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.broker.spi.groups.FetchedOffset;
import io.cairn.broker.spi.groups.OffsetFetchRequest;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * OffsetFetch (v1–v10) through {@link io.cairn.broker.spi.groups.GroupCoordinator#fetchOffsets},
 * once per group. v1–v7 ask for one group (null topics, v2+, for every committed partition) and
 * carry a group error at the top (v2+; v1 only per partition); v8+ (KIP-709) ask for several
 * groups, each with its own error; v9+ carry the member id and epoch; v10 names topics by id (a
 * topic id this cluster does not know answers {@code UNKNOWN_TOPIC_ID}, a committed topic that no
 * longer exists is left out of an all-topics answer, since it has no id to name it by).
 *
 * <p>Thread-safety: stateless apart from the thread-safe broker and slot.
 */
final class OffsetFetchApi implements ApiHandler {

    private final LocalBroker broker;
    private final GroupCoordinatorSlot groups;

    OffsetFetchApi(LocalBroker broker, GroupCoordinatorSlot groups) {
        this.broker = broker;
        this.groups = groups;
    }

    @Override
    public CompletionStage<OffsetFetchResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        OffsetFetchRequestData body = (OffsetFetchRequestData) request.body();
        short version = request.apiVersion();
        if (version < 8) {
            return single(body, version);
        }
        List<CompletableFuture<OffsetFetchResponseGroup>> answers = new ArrayList<>();
        for (OffsetFetchRequestGroup group : body.groups()) {
            answers.add(group(group, body.requireStable(), version >= 10).toCompletableFuture());
        }
        return CompletableFuture.allOf(answers.toArray(CompletableFuture[]::new)).thenApply(done ->
                new OffsetFetchResponseData().setGroups(answers.stream().map(CompletableFuture::join).toList()));
    }

    /** v1–v7: one group, topics by name. */
    private CompletionStage<OffsetFetchResponseData> single(OffsetFetchRequestData body, short version) {
        Optional<List<PartitionKey>> partitions = Optional.empty();
        if (body.topics() != null) {
            List<PartitionKey> keys = new ArrayList<>();
            for (OffsetFetchRequestTopic topic : body.topics()) {
                topic.partitionIndexes().forEach(p -> keys.add(new PartitionKey(topic.name(), p)));
            }
            partitions = Optional.of(keys);
        }
        OffsetFetchRequest fetch = new OffsetFetchRequest(body.groupId(), partitions,
                version >= 7 && body.requireStable(), Optional.empty(), -1);
        return groups.ask(c -> c.fetchOffsets(fetch), fetched -> {
            Map<String, OffsetFetchResponseTopic> topics = new LinkedHashMap<>();
            for (FetchedOffset offset : fetched) {
                topics.computeIfAbsent(offset.topic(), name -> new OffsetFetchResponseTopic().setName(name))
                        .partitions().add(new OffsetFetchResponsePartition().setPartitionIndex(offset.partition())
                                .setCommittedOffset(offset.offset()).setCommittedLeaderEpoch(offset.leaderEpoch())
                                .setMetadata(offset.metadata()).setErrorCode(code(offset)));
            }
            return new OffsetFetchResponseData().setTopics(new ArrayList<>(topics.values()));
        }, failure -> {
            Errors error = KafkaErrors.of(failure, "OffsetFetch");
            OffsetFetchResponseData response = new OffsetFetchResponseData().setErrorCode(error.code());
            if (version < 2 && body.topics() != null) {
                // v1 has no group error: every partition asked for carries it.
                for (OffsetFetchRequestTopic topic : body.topics()) {
                    OffsetFetchResponseTopic answered = new OffsetFetchResponseTopic().setName(topic.name());
                    topic.partitionIndexes().forEach(p -> answered.partitions().add(new OffsetFetchResponsePartition()
                            .setPartitionIndex(p).setCommittedOffset(-1).setMetadata("").setErrorCode(error.code())));
                    response.topics().add(answered);
                }
            }
            return response;
        });
    }

    /** v8+: one group of a batch; v10 names topics by id. */
    private CompletionStage<OffsetFetchResponseGroup> group(OffsetFetchRequestGroup group, boolean requireStable,
            boolean byId) {
        Optional<List<PartitionKey>> partitions = Optional.empty();
        List<OffsetFetchResponseTopics> unknown = new ArrayList<>();
        if (group.topics() != null) {
            List<PartitionKey> keys = new ArrayList<>();
            for (OffsetFetchRequestTopics topic : group.topics()) {
                Optional<String> name = byId ? TopicIds.find(broker.cluster(), topic.topicId()).map(TopicInfo::name)
                        : Optional.of(topic.name());
                if (name.isPresent()) {
                    topic.partitionIndexes().forEach(p -> keys.add(new PartitionKey(name.get(), p)));
                } else {
                    OffsetFetchResponseTopics answered = new OffsetFetchResponseTopics().setTopicId(topic.topicId());
                    topic.partitionIndexes().forEach(p -> answered.partitions().add(new OffsetFetchResponsePartitions()
                            .setPartitionIndex(p).setCommittedOffset(-1).setMetadata("")
                            .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code())));
                    unknown.add(answered);
                }
            }
            partitions = Optional.of(keys);
        }
        OffsetFetchRequest fetch = new OffsetFetchRequest(group.groupId(), partitions, requireStable,
                Optional.ofNullable(group.memberId()), group.memberEpoch());
        return groups.ask(c -> c.fetchOffsets(fetch), fetched -> {
            Map<String, OffsetFetchResponseTopics> topics = new LinkedHashMap<>();
            for (FetchedOffset offset : fetched) {
                OffsetFetchResponseTopics topic = topics.get(offset.topic());
                if (topic == null) {
                    Optional<Uuid> id = byId ? broker.cluster().topic(offset.topic())
                            .map(info -> TopicIds.toKafka(info.topicId())) : Optional.empty();
                    if (byId && id.isEmpty()) {
                        continue;
                    }
                    topic = byId ? new OffsetFetchResponseTopics().setTopicId(id.get())
                            : new OffsetFetchResponseTopics().setName(offset.topic());
                    topics.put(offset.topic(), topic);
                }
                topic.partitions().add(new OffsetFetchResponsePartitions().setPartitionIndex(offset.partition())
                        .setCommittedOffset(offset.offset()).setCommittedLeaderEpoch(offset.leaderEpoch())
                        .setMetadata(offset.metadata()).setErrorCode(code(offset)));
            }
            List<OffsetFetchResponseTopics> all = new ArrayList<>(topics.values());
            all.addAll(unknown);
            return new OffsetFetchResponseGroup().setGroupId(group.groupId()).setTopics(all);
        }, failure -> new OffsetFetchResponseGroup().setGroupId(group.groupId())
                .setErrorCode(KafkaErrors.of(failure, "OffsetFetch").code()));
    }

    private static short code(FetchedOffset offset) {
        return offset.error().map(KafkaErrors::of).orElse(Errors.NONE).code();
    }
}
