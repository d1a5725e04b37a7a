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
 * </table>
 *
 * <p>Thread-safety: immutable after construction; shared by all connections of all listeners.
 */
final class KafkaApis {

    private final Map<ApiKeys, SupportedApi> apis = new EnumMap<>(ApiKeys.class);

    /**
     * @param broker the kernel's view of this broker
     * @param threads the request pool and timer, for delayed operations
     */
    KafkaApis(LocalBroker broker, RequestThreads threads) {
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
