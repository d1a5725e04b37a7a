package io.cairn.protocol.kafka.internal;

import java.util.Optional;
import java.util.UUID;

import org.apache.kafka.common.Uuid;

import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.TopicInfo;

/**
 * Topic ids between the kernel ({@link UUID}) and the wire (kafka-clients' {@link Uuid}), and the
 * look-up by id that Fetch v13+, Produce v13+, Metadata v10+ and DeleteTopics v6 need.
 *
 * <p>Thread-safety: stateless.
 */
final class TopicIds {

    private TopicIds() {
    }

    /** {@code id} on the wire; a topic without an id has Kafka's zero id. */
    static Uuid toKafka(UUID id) {
        return id == null ? Uuid.ZERO_UUID : new Uuid(id.getMostSignificantBits(), id.getLeastSignificantBits());
    }

    /** The topic of {@code cluster} with id {@code id}, if there is one. */
    static Optional<TopicInfo> find(ClusterView cluster, Uuid id) {
        if (id == null || Uuid.ZERO_UUID.equals(id)) {
            return Optional.empty();
        }
        UUID wanted = new UUID(id.getMostSignificantBits(), id.getLeastSignificantBits());
        return cluster.topics().stream().filter(topic -> wanted.equals(topic.topicId())).findFirst();
    }
}
