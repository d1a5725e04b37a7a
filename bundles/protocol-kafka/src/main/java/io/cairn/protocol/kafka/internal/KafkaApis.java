package io.cairn.protocol.kafka.internal;

import java.util.Collection;
import java.util.Collections;
import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;

import io.cairn.broker.spi.cluster.LocalBroker;

/**
 * The Kafka APIs this broker implements, with the versions of each, and the dispatch of a decoded
 * request to its handler. ApiVersions advertises exactly this table.
 *
 * <p>Versions (all read and written with kafka-clients 4.4's generated classes, so each range is
 * at most what that release knows; the lower bounds are Kafka 4's, which removed the versions
 * older clients needed for message formats v0/v1):
 * <table>
 * <caption>Implemented APIs</caption>
 * <tr><th>API</th><th>versions</th><th>who needs which</th></tr>
 * <tr><td>Produce</td><td>3–13</td><td>kafka-clients 3.9: 11, 4.4: 13 (topic ids); librdkafka 2.x:
 * 7–10; KafkaJS 2.x: 7</td></tr>
 * <tr><td>Fetch</td><td>4–18</td><td>kafka-clients 3.9: 16, 4.4: 18; librdkafka: up to 16; KafkaJS:
 * 11</td></tr>
 * <tr><td>ListOffsets</td><td>1–11</td><td>KafkaJS: 3; librdkafka: up to 7; Java: 9–11</td></tr>
 * <tr><td>Metadata</td><td>0–13</td><td>KafkaJS: 6; librdkafka and kafka-clients 3.9: 12; 4.4: 13</td></tr>
 * <tr><td>ApiVersions</td><td>0–5</td><td>all</td></tr>
 * <tr><td>CreateTopics</td><td>2–7</td><td>KafkaJS: 3; the rest: 4–7</td></tr>
 * <tr><td>DeleteTopics</td><td>1–6</td><td>KafkaJS: 1; Java: 6 (by name or id)</td></tr>
 * <tr><td>DeleteRecords</td><td>0–2</td><td></td></tr>
 * <tr><td>InitProducerId</td><td>0–6</td><td>idempotent producers</td></tr>
 * <tr><td>DescribeConfigs</td><td>1–4</td><td></td></tr>
 * <tr><td>AlterConfigs</td><td>0–2</td><td></td></tr>
 * <tr><td>DescribeLogDirs</td><td>1–5</td><td></td></tr>
 * <tr><td>CreatePartitions</td><td>0–3</td><td></td></tr>
 * <tr><td>IncrementalAlterConfigs</td><td>0–1</td><td></td></tr>
 * <tr><td>DescribeCluster</td><td>0–2</td><td>{@code Admin.describeCluster()}</td></tr>
 * <tr><td>FindCoordinator</td><td>0–6</td><td>KafkaJS: 2; librdkafka: up to 2; Java: 4–6 (batched keys)</td></tr>
 * <tr><td>JoinGroup</td><td>0–9</td><td>KafkaJS: 5 (and 0–2 before its ApiVersions); librdkafka: up to 5;
 * Java: 9</td></tr>
 * <tr><td>SyncGroup</td><td>0–5</td><td>KafkaJS: 3; librdkafka: 3; Java: 5</td></tr>
 * <tr><td>Heartbeat</td><td>0–4</td><td>KafkaJS: 3; librdkafka: 3; Java: 4</td></tr>
 * <tr><td>LeaveGroup</td><td>0–5</td><td>KafkaJS: 2; librdkafka: 1; Java: 5</td></tr>
 * <tr><td>OffsetCommit</td><td>2–10</td><td>KafkaJS: 5; librdkafka: up to 9; Java 3.9: 9, 4.4: 10 (topic
 * ids)</td></tr>
 * <tr><td>OffsetFetch</td><td>1–10</td><td>KafkaJS: 4; librdkafka: up to 9; Java 3.9: 9, 4.4: 10</td></tr>
 * <tr><td>ListGroups</td><td>0–5</td><td>kafka-consumer-groups, Admin</td></tr>
 * <tr><td>DescribeGroups</td><td>0–6</td><td>KafkaJS: 2; Admin: 5–6</td></tr>
 * <tr><td>DeleteGroups</td><td>0–3</td><td>Admin</td></tr>
 * <tr><td>OffsetDelete</td><td>0</td><td>Admin</td></tr>
 * <tr><td>ConsumerGroupHeartbeat</td><td>0–1</td><td>Java 4.x with {@code group.protocol=consumer}: 1</td></tr>
 * <tr><td>ConsumerGroupDescribe</td><td>0–1</td><td>Admin 4.x ({@code describeConsumerGroups}, falling back to
 * DescribeGroups for classic groups): 1</td></tr>
 * </table>
 *
 * <p>The group APIs call the {@link io.cairn.broker.spi.groups.GroupCoordinator} in the
 * {@link GroupCoordinatorSlot}, and answer {@code COORDINATOR_NOT_AVAILABLE} while it is empty,
 * the KIP-848 ones (ConsumerGroupHeartbeat, ConsumerGroupDescribe) included.
 *
 * <p>Thread-safety: immutable after construction; shared by all connections of all listeners.
 */
final class KafkaApis {

    private final Map<ApiKeys, SupportedApi> apis = new EnumMap<>(ApiKeys.class);

    /**
     * @param broker the kernel's view of this broker
     * @param threads the request pool and timer, for delayed operations
     * @param groups the group coordinator, when there is one
     */
    KafkaApis(LocalBroker broker, RequestThreads threads, GroupCoordinatorSlot groups) {
        Collection<SupportedApi> advertised = Collections.unmodifiableCollection(apis.values());
        add(ApiKeys.PRODUCE, 3, 13, new ProduceApi(broker));
        add(ApiKeys.FETCH, 4, 18, new FetchApi(broker, threads));
        add(ApiKeys.LIST_OFFSETS, 1, 11, new ListOffsetsApi(broker));
        add(ApiKeys.METADATA, 0, 13, new MetadataApi(broker));
        add(ApiKeys.API_VERSIONS, 0, 5, new ApiVersionsApi(broker, advertised));
        add(ApiKeys.CREATE_TOPICS, 2, 7, new CreateTopicsApi(broker));
        add(ApiKeys.DELETE_TOPICS, 1, 6, new DeleteTopicsApi(broker));
        add(ApiKeys.DELETE_RECORDS, 0, 2, new DeleteRecordsApi(broker));
        add(ApiKeys.INIT_PRODUCER_ID, 0, 6, new InitProducerIdApi(broker));
        add(ApiKeys.DESCRIBE_CONFIGS, 1, 4, new DescribeConfigsApi(broker));
        add(ApiKeys.ALTER_CONFIGS, 0, 2, new AlterConfigsApi(broker));
        add(ApiKeys.DESCRIBE_LOG_DIRS, 1, 5, new DescribeLogDirsApi(broker));
        add(ApiKeys.CREATE_PARTITIONS, 0, 3, new CreatePartitionsApi(broker));
        add(ApiKeys.INCREMENTAL_ALTER_CONFIGS, 0, 1, new IncrementalAlterConfigsApi(broker));
        add(ApiKeys.DESCRIBE_CLUSTER, 0, 2, new DescribeClusterApi(broker));
        add(ApiKeys.FIND_COORDINATOR, 0, 6, new FindCoordinatorApi(broker, groups));
        add(ApiKeys.JOIN_GROUP, 0, 9, new JoinGroupApi(groups));
        add(ApiKeys.SYNC_GROUP, 0, 5, new SyncGroupApi(groups));
        add(ApiKeys.HEARTBEAT, 0, 4, new HeartbeatApi(groups));
        add(ApiKeys.LEAVE_GROUP, 0, 5, new LeaveGroupApi(groups));
        add(ApiKeys.OFFSET_COMMIT, 2, 10, new OffsetCommitApi(broker, groups));
        add(ApiKeys.OFFSET_FETCH, 1, 10, new OffsetFetchApi(broker, groups));
        add(ApiKeys.LIST_GROUPS, 0, 5, new ListGroupsApi(groups));
        add(ApiKeys.DESCRIBE_GROUPS, 0, 6, new DescribeGroupsApi(groups));
        add(ApiKeys.DELETE_GROUPS, 0, 3, new DeleteGroupsApi(groups));
        add(ApiKeys.OFFSET_DELETE, 0, 0, new OffsetDeleteApi(groups));
        add(ApiKeys.CONSUMER_GROUP_HEARTBEAT, 0, 1, new ConsumerGroupHeartbeatApi(groups));
        add(ApiKeys.CONSUMER_GROUP_DESCRIBE, 0, 1, new ConsumerGroupDescribeApi(groups));
    }

    private void add(ApiKeys apiKey, int minVersion, int maxVersion, ApiHandler handler) {
        apis.put(apiKey, new SupportedApi(apiKey, (short) minVersion, (short) maxVersion, handler));
    }

    /** The implemented version range of {@code apiKey}, if it is implemented at all. */
    Optional<SupportedApi> supported(ApiKeys apiKey) {
        return Optional.ofNullable(apis.get(apiKey));
    }

    /** Every implemented API, by key. */
    Collection<SupportedApi> all() {
        return Collections.unmodifiableCollection(apis.values());
    }

    /**
     * Hands {@code request} to its API's handler. The decoder has already refused APIs and
     * versions that are not implemented.
     */
    CompletionStage<? extends ApiMessage> handle(KafkaRequest request, ConnectionContext connection) {
        return apis.get(request.apiKey()).handler().handle(request, connection);
    }
}
