package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.OffsetCommitRequestData;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestPartition;
import org.apache.kafka.common.message.OffsetCommitRequestData.OffsetCommitRequestTopic;
import org.apache.kafka.common.message.OffsetCommitResponseData;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponsePartition;
import org.apache.kafka.common.message.OffsetCommitResponseData.OffsetCommitResponseTopic;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.broker.spi.groups.OffsetCommit;
import io.cairn.broker.spi.groups.OffsetCommitRequest;
import io.cairn.broker.spi.groups.PartitionResult;

/**
 * OffsetCommit (v2–v10) through {@link io.cairn.broker.spi.groups.GroupCoordinator#commitOffsets}.
 * The response mirrors the request's topics and partitions, each with the coordinator's result (it
 * answers per partition, in request order). v10 names topics by id: an id this cluster does not
 * know answers {@code UNKNOWN_TOPIC_ID} for its partitions without reaching the coordinator.
 * {@code retention_time} (v2–v4) is ignored, as Kafka 2.1+ ignores it; a null metadata string is
 * stored as empty, as Kafka stores it.
 *
 * <p>Thread-safety: stateless apart from the thread-safe broker and slot.
 */
final class OffsetCommitApi implements ApiHandler {

    private final LocalBroker broker;
    private final GroupCoordinatorSlot groups;

    OffsetCommitApi(LocalBroker broker, GroupCoordinatorSlot groups) {
        this.broker = broker;
        this.groups = groups;
    }

    @Override
    public CompletionStage<OffsetCommitResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        OffsetCommitRequestData body = (OffsetCommitRequestData) request.body();
        boolean byId = request.apiVersion() >= 10;
        // The topic name of each request topic, empty for an unknown id.
        List<Optional<String>> names = new ArrayList<>();
        List<OffsetCommit> commits = new ArrayList<>();
        for (OffsetCommitRequestTopic topic : body.topics()) {
            Optional<String> name = byId ? TopicIds.find(broker.cluster(), topic.topicId()).map(TopicInfo::name)
                    : Optional.of(topic.name());
            names.add(name);
            name.ifPresent(n -> {
                for (OffsetCommitRequestPartition p : topic.partitions()) {
                    commits.add(new OffsetCommit(n, p.partitionIndex(), p.committedOffset(),
                            p.committedLeaderEpoch(), p.committedMetadata() == null ? "" : p.committedMetadata()));
                }
            });
        }
        OffsetCommitRequest commit = new OffsetCommitRequest(body.groupId(), body.generationIdOrMemberEpoch(),
                body.memberId(), Optional.ofNullable(body.groupInstanceId()), commits);
        return groups.ask(c -> c.commitOffsets(commit),
                results -> respond(body, names, byId, results.stream().map(PartitionResult::error)
                        .map(e -> e.map(KafkaErrors::of).orElse(Errors.NONE)).toList()),
                failure -> respond(body, names, byId,
                        Collections.nCopies(commits.size(), KafkaErrors.of(failure, "OffsetCommit"))));
    }

    /** The response, taking the errors of the known topics' partitions from {@code errors} in order. */
    private static OffsetCommitResponseData respond(OffsetCommitRequestData body, List<Optional<String>> names,
            boolean byId, List<Errors> errors) {
        OffsetCommitResponseData response = new OffsetCommitResponseData();
        int next = 0;
        for (int t = 0; t < body.topics().size(); t++) {
            OffsetCommitRequestTopic topic = body.topics().get(t);
            OffsetCommitResponseTopic answered = byId ? new OffsetCommitResponseTopic().setTopicId(topic.topicId())
                    : new OffsetCommitResponseTopic().setName(topic.name());
            boolean known = names.get(t).isPresent();
            for (OffsetCommitRequestPartition p : topic.partitions()) {
                Errors error = !known ? Errors.UNKNOWN_TOPIC_ID
                        : next < errors.size() ? errors.get(next++) : Errors.UNKNOWN_SERVER_ERROR;
                answered.partitions().add(new OffsetCommitResponsePartition().setPartitionIndex(p.partitionIndex())
                        .setErrorCode(error.code()));
            }
            response.topics().add(answered);
        }
        return response;
    }
}
