package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.errors.InvalidTopicException;
import org.apache.kafka.common.internals.Topic;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataRequestData.MetadataRequestTopic;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBroker;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseBrokerCollection;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponsePartition;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopic;
import org.apache.kafka.common.message.MetadataResponseData.MetadataResponseTopicCollection;
import org.apache.kafka.common.protocol.Errors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.PartitionState;
import io.cairn.broker.spi.cluster.TopicInfo;

/**
 * Metadata: brokers, cluster id, controller, and topics with their partitions' leaders and
 * replicas, from one {@link ClusterView} snapshot per request.
 *
 * <p>Which topics: all of them when the request has a null topic list (v1+) or an empty one (v0,
 * where empty meant "all"); otherwise those asked for, by name or (v10+, name null) by topic id. A
 * topic asked for by name that does not exist is created if the request allows it
 * ({@code AllowAutoTopicCreation}, always true before v4) and the broker does
 * ({@link LocalBroker#autoCreateTopic}, which honours {@code auto.create.topics.enable},
 * {@code num.partitions} and {@code default.replication.factor}); a topic created so is described
 * if the cluster view already shows it, else answered {@code LEADER_NOT_AVAILABLE} as Kafka answers
 * a topic whose creation is under way. Otherwise a missing topic is
 * {@code UNKNOWN_TOPIC_OR_PARTITION} (by name) or {@code UNKNOWN_TOPIC_ID} (by id); a name that
 * breaks Kafka's rules is {@code INVALID_TOPIC_EXCEPTION} and never created.
 *
 * <p>A partition whose leader is not a live broker has {@code LEADER_NOT_AVAILABLE} and leader -1,
 * and replicas that are not live are listed as offline (v5+), as Kafka reports them.
 *
 * <p>Runs on the request strand: creating a topic writes to the metadata store.
 *
 * <p>Thread-safety: stateless apart from the thread-safe {@link LocalBroker}.
 */
final class MetadataApi implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(MetadataApi.class);

    private final LocalBroker broker;

    MetadataApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<MetadataResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        MetadataRequestData body = (MetadataRequestData) request.body();
        ClusterView cluster = broker.cluster();
        List<AdvertisedNodes.Node> nodes = AdvertisedNodes.forConnection(broker, cluster, connection);
        MetadataResponseBrokerCollection brokers = new MetadataResponseBrokerCollection();
        Set<Integer> live = new HashSet<>();
        for (AdvertisedNodes.Node node : nodes) {
            live.add(node.id());
            brokers.add(new MetadataResponseBroker().setNodeId(node.id()).setHost(node.host()).setPort(node.port())
                    .setRack(node.rack()));
        }
        MetadataResponseTopicCollection topics = new MetadataResponseTopicCollection();
        if (allTopics(body, request.apiVersion())) {
            cluster.topics().forEach(topic -> topics.add(describe(topic, live)));
        } else {
            boolean autoCreate = request.apiVersion() < 4 || body.allowAutoTopicCreation();
            for (MetadataRequestTopic wanted : body.topics()) {
                MetadataResponseTopic topic = lookUp(cluster, wanted, live, autoCreate);
                // The response collection is keyed by name: a topic asked for twice is answered once.
                if (topic.name() == null || topics.find(topic.name()) == null) {
                    topics.add(topic);
                }
            }
        }
        return CompletableFuture.completedFuture(new MetadataResponseData()
                .setBrokers(brokers)
                .setClusterId(cluster.clusterId())
                .setControllerId(cluster.controllerId())
                .setTopics(topics));
    }

    private static boolean allTopics(MetadataRequestData body, short version) {
        return body.topics() == null || (version == 0 && body.topics().isEmpty());
    }

    private MetadataResponseTopic lookUp(ClusterView cluster, MetadataRequestTopic wanted, Set<Integer> live,
            boolean autoCreate) {
        // Kafka looks topics up by id whenever one is given (kafka-clients 4.x sends an empty name
        // with it), else by name.
        if (Uuid.ZERO_UUID.equals(wanted.topicId()) && wanted.name() != null) {
            return cluster.topic(wanted.name())
                    .map(topic -> describe(topic, live))
                    .orElseGet(() -> missing(wanted.name(), live, autoCreate));
        }
        Optional<TopicInfo> byId = TopicIds.find(cluster, wanted.topicId());
        return byId.map(topic -> describe(topic, live))
                .orElseGet(() -> new MetadataResponseTopic().setName(null).setTopicId(wanted.topicId())
                        .setErrorCode(Errors.UNKNOWN_TOPIC_ID.code()));
    }

    private MetadataResponseTopic missing(String name, Set<Integer> live, boolean autoCreate) {
        MetadataResponseTopic answer = new MetadataResponseTopic().setName(name).setIsInternal(Topic.isInternal(name));
        try {
            Topic.validate(name);
        } catch (InvalidTopicException e) {
            return answer.setErrorCode(Errors.INVALID_TOPIC_EXCEPTION.code());
        }
        if (!autoCreate) {
            return answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
        }
        try {
            if (!broker.autoCreateTopic(name)) {
                return answer.setErrorCode(Errors.UNKNOWN_TOPIC_OR_PARTITION.code());
            }
        } catch (BrokerException e) {
            LOG.debug("Auto-creating topic {} failed: {}", name, e.getMessage());
            return answer.setErrorCode(KafkaErrors.of(e.error()).code());
        }
        return broker.cluster().topic(name)
                .map(topic -> describe(topic, live))
                .orElseGet(() -> answer.setErrorCode(Errors.LEADER_NOT_AVAILABLE.code()));
    }

    private static MetadataResponseTopic describe(TopicInfo topic, Set<Integer> live) {
        List<MetadataResponsePartition> partitions = new ArrayList<>(topic.partitions().size());
        for (PartitionState state : topic.partitions()) {
            boolean leaderLive = live.contains(state.leader());
            partitions.add(new MetadataResponsePartition()
                    .setPartitionIndex(state.partition())
                    .setErrorCode(leaderLive ? Errors.NONE.code() : Errors.LEADER_NOT_AVAILABLE.code())
                    .setLeaderId(leaderLive ? state.leader() : -1)
                    .setLeaderEpoch(state.leaderEpoch())
                    .setReplicaNodes(new ArrayList<>(state.replicas()))
                    .setIsrNodes(new ArrayList<>(state.isr()))
                    .setOfflineReplicas(state.replicas().stream().filter(id -> !live.contains(id)).toList()));
        }
        return new MetadataResponseTopic()
                .setName(topic.name())
                .setTopicId(TopicIds.toKafka(topic.topicId()))
                .setIsInternal(topic.internal())
                .setPartitions(partitions);
    }
}
