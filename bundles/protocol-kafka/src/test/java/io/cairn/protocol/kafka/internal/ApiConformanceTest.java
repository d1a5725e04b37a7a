package io.cairn.protocol.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.message.DescribeClusterRequestData;
import org.apache.kafka.common.message.DescribeClusterResponseData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Every API version the listener advertises, written and read back with kafka-clients' own
 * serialisers; and the ApiVersions rules clients depend on: exactly what is implemented is
 * advertised, a too-new version falls back, pipelined requests are answered in order.
 */
class ApiConformanceTest {

    @RegisterExtension
    final ProtocolServer server = new ProtocolServer(TestBroker.twoNodes());

    @Test
    void apiVersionsAdvertisesExactlyTheImplementedApis() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            ApiVersionsResponseData response = (ApiVersionsResponseData) client
                    .call(ApiKeys.API_VERSIONS, (short) 4, 1, RawKafkaClient.apiVersionsRequest()).body();

            assertEquals(Errors.NONE.code(), response.errorCode());
            assertEquals(Map.of(
                    ApiKeys.METADATA.id, "0..13",
                    ApiKeys.API_VERSIONS.id, "0..5",
                    ApiKeys.DESCRIBE_CLUSTER.id, "0..2"), ranges(response));
        }
    }

    static Stream<Arguments> advertisedVersions() {
        List<Arguments> all = new ArrayList<>();
        for (short v = 0; v <= 5; v++) {
            all.add(Arguments.of(ApiKeys.API_VERSIONS, v));
        }
        for (short v = 0; v <= 13; v++) {
            all.add(Arguments.of(ApiKeys.METADATA, v));
        }
        for (short v = 0; v <= 2; v++) {
            all.add(Arguments.of(ApiKeys.DESCRIBE_CLUSTER, v));
        }
        return all.stream();
    }

    @ParameterizedTest(name = "{0} v{1}")
    @MethodSource("advertisedVersions")
    void everyAdvertisedVersionIsAnsweredInThatVersion(ApiKeys api, short version) throws IOException {
        try (RawKafkaClient client = server.connect()) {
            RawKafkaClient.Response response = client.call(api, version, 1000 + version, request(api, version));

            assertEquals(1000 + version, response.correlationId());
            ApiMessage body = response.body();
            if (body instanceof ApiVersionsResponseData apiVersions) {
                assertEquals(Errors.NONE.code(), apiVersions.errorCode());
                assertEquals(3, apiVersions.apiKeys().size());
            } else if (body instanceof MetadataResponseData metadata) {
                assertEquals(List.of(TestBroker.LOCAL_ID, TestBroker.REMOTE_ID),
                        metadata.brokers().stream().map(MetadataResponseData.MetadataResponseBroker::nodeId).toList());
                MetadataResponseData.MetadataResponseTopic orders = metadata.topics().find("orders");
                assertNotNull(orders, "orders in all topics");
                assertEquals(3, orders.partitions().size());
            } else if (body instanceof DescribeClusterResponseData cluster) {
                assertEquals(Errors.NONE.code(), cluster.errorCode());
                assertEquals(TestBroker.CLUSTER_ID, cluster.clusterId());
                assertEquals(TestBroker.CONTROLLER_ID, cluster.controllerId());
                assertEquals(2, cluster.brokers().size());
            }
        }
    }

    /** A request for all topics / everything, valid in {@code version}. */
    private static ApiMessage request(ApiKeys api, short version) {
        return switch (api) {
            case API_VERSIONS -> new ApiVersionsRequestData().setClientSoftwareName("cairn-test")
                    .setClientSoftwareVersion("1.0");
            // v0: an empty list means all topics; v1+: null does.
            case METADATA -> new MetadataRequestData().setTopics(version == 0 ? List.of() : null);
            case DESCRIBE_CLUSTER -> new DescribeClusterRequestData();
            default -> throw new IllegalArgumentException(api.toString());
        };
    }

    @Test
    void aTooNewApiVersionsRequestGetsUnsupportedVersionInV0AndTheClientCanRetry() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            // What a future client sends first: ApiVersions in a version this broker never heard of
            // (v99, laid out like v5: flexible header and body).
            byte[] frame = RawKafkaClient.frame(ApiKeys.API_VERSIONS, (short) 5, 41, new ApiVersionsRequestData()
                    .setClientSoftwareName("future-client").setClientSoftwareVersion("9.9"));
            ByteBuffer.wrap(frame).putShort(6, (short) 99); // the version field, after size and api key
            client.sendRaw(frame);
            RawKafkaClient.Response fallback = client.read(ApiKeys.API_VERSIONS, (short) 0);

            assertEquals(41, fallback.correlationId());
            ApiVersionsResponseData data = (ApiVersionsResponseData) fallback.body();
            assertEquals(Errors.UNSUPPORTED_VERSION.code(), data.errorCode());
            // KIP-511: the versions of ApiVersions itself, to pick the retry version from.
            assertEquals(Map.of(ApiKeys.API_VERSIONS.id, "0..5"), ranges(data));

            // The connection stays open: the client retries on it with the newest version offered.
            ApiVersionsResponseData retried = (ApiVersionsResponseData) client
                    .call(ApiKeys.API_VERSIONS, (short) 5, 42, RawKafkaClient.apiVersionsRequest()).body();
            assertEquals(Errors.NONE.code(), retried.errorCode());
        }
    }

    @Test
    void pipelinedRequestsAreAnsweredInRequestOrder() throws IOException {
        byte[] first = RawKafkaClient.frame(ApiKeys.API_VERSIONS, (short) 3, 301, RawKafkaClient.apiVersionsRequest());
        byte[] second = RawKafkaClient.frame(ApiKeys.METADATA, (short) 12, 302, new MetadataRequestData().setTopics(null));
        byte[] third = RawKafkaClient.frame(ApiKeys.API_VERSIONS, (short) 0, 303, RawKafkaClient.apiVersionsRequest());
        byte[] fourth = RawKafkaClient.frame(ApiKeys.DESCRIBE_CLUSTER, (short) 1, 304, new DescribeClusterRequestData());
        try (RawKafkaClient client = server.connect()) {
            // All four in one write, before reading anything.
            client.sendRaw(concat(first, second, third, fourth));

            RawKafkaClient.Response r1 = client.read(ApiKeys.API_VERSIONS, (short) 3);
            RawKafkaClient.Response r2 = client.read(ApiKeys.METADATA, (short) 12);
            RawKafkaClient.Response r3 = client.read(ApiKeys.API_VERSIONS, (short) 0);
            RawKafkaClient.Response r4 = client.read(ApiKeys.DESCRIBE_CLUSTER, (short) 1);

            assertEquals(List.of(301, 302, 303, 304), List.of(r1.correlationId(), r2.correlationId(),
                    r3.correlationId(), r4.correlationId()));
            assertTrue(r2.body() instanceof MetadataResponseData);
            assertTrue(r4.body() instanceof DescribeClusterResponseData);
        }
    }

    @Test
    void aV3RequestWithAnInvalidClientSoftwareNameGetsInvalidRequest() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            ApiVersionsResponseData response = (ApiVersionsResponseData) client.call(ApiKeys.API_VERSIONS, (short) 3,
                    50, new ApiVersionsRequestData().setClientSoftwareName("no spaces allowed")
                            .setClientSoftwareVersion("1")).body();
            assertEquals(Errors.INVALID_REQUEST.code(), response.errorCode());
        }
    }

    @Test
    void aV5RequestMeantForAnotherNodeGetsRebootstrapRequired() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            ApiVersionsResponseData misrouted = (ApiVersionsResponseData) client.call(ApiKeys.API_VERSIONS, (short) 5,
                    51, RawKafkaClient.apiVersionsRequest().setClusterId(TestBroker.CLUSTER_ID).setNodeId(7)).body();
            ApiVersionsResponseData routed = (ApiVersionsResponseData) client.call(ApiKeys.API_VERSIONS, (short) 5,
                    52, RawKafkaClient.apiVersionsRequest().setClusterId(TestBroker.CLUSTER_ID)
                            .setNodeId(TestBroker.LOCAL_ID)).body();

            assertEquals(Errors.REBOOTSTRAP_REQUIRED.code(), misrouted.errorCode());
            assertEquals(Errors.NONE.code(), routed.errorCode());
        }
    }

    private static Map<Short, String> ranges(ApiVersionsResponseData response) {
        Map<Short, String> ranges = new TreeMap<>();
        for (ApiVersion api : response.apiKeys()) {
            ranges.put(api.apiKey(), api.minVersion() + ".." + api.maxVersion());
        }
        return ranges;
    }

    private static byte[] concat(byte[]... frames) {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        for (byte[] frame : frames) {
            all.writeBytes(frame);
        }
        return all.toByteArray();
    }
}
