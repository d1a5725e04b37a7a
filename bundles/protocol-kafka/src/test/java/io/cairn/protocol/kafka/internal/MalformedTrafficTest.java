package io.cairn.protocol.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;

import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ApiVersionsResponseData;
import org.apache.kafka.common.message.ConsumerGroupDescribeRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatRequestData;
import org.apache.kafka.common.message.ConsumerGroupHeartbeatResponseData;
import org.apache.kafka.common.message.ShareGroupHeartbeatRequestData;
import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.Errors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a broker must survive: frames it must refuse, APIs it does not speak, requests that do not
 * parse. Each closes the offending connection, and the next, well-behaved connection is still
 * answered.
 */
class MalformedTrafficTest {

    @RegisterExtension
    final ProtocolServer server = new ProtocolServer(TestBroker.twoNodes());

    @ParameterizedTest(name = "size prefix {0}")
    @ValueSource(ints = {Integer.MAX_VALUE, TestBroker.MAX_REQUEST_BYTES + 1, -1, Integer.MIN_VALUE})
    void aFrameSizeOutOfBoundsClosesOnlyThatConnection(int size) throws IOException {
        try (RawKafkaClient client = server.connect()) {
            // Only the size prefix: the broker must decide before any body arrives.
            client.sendRaw(ByteBuffer.allocate(4).putInt(size).array());
            assertTrue(client.closedByBroker(), "connection closed after size " + size);
        }
        assertStillServing();
    }

    @Test
    void aFrameOfExactlyTheLimitIsReadNotRefused() throws IOException {
        // A Metadata v1 request zero-padded to the limit: the frame is accepted and parsed (bytes
        // after the body are not looked at).
        byte[] request = RawKafkaClient.frame(ApiKeys.METADATA, (short) 1, 5, new MetadataRequestData().setTopics(null));
        byte[] padded = Arrays.copyOf(request, 4 + TestBroker.MAX_REQUEST_BYTES);
        ByteBuffer.wrap(padded).putInt(TestBroker.MAX_REQUEST_BYTES);
        try (RawKafkaClient client = server.connect()) {
            client.sendRaw(padded);
            assertEquals(5, client.read(ApiKeys.METADATA, (short) 1).correlationId());
        }
    }

    @Test
    void anUnknownApiKeyClosesTheConnection() throws IOException {
        // api key 32000, version 0, correlation id 7, client id null
        byte[] frame = ByteBuffer.allocate(14).putInt(10).putShort((short) 32000).putShort((short) 0).putInt(7)
                .putShort((short) -1).array();
        try (RawKafkaClient client = server.connect()) {
            client.sendRaw(frame);
            assertTrue(client.closedByBroker());
        }
        assertStillServing();
    }

    @Test
    void aKafkaApiThatIsNotImplementedClosesTheConnection() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            // KIP-932's share groups are not implemented (nor advertised).
            client.send(ApiKeys.SHARE_GROUP_HEARTBEAT, ApiKeys.SHARE_GROUP_HEARTBEAT.latestVersion(), 8,
                    new ShareGroupHeartbeatRequestData().setGroupId("group").setMemberId("m")
                            .setMemberEpoch(0).setSubscribedTopicNames(List.of("orders")));
            assertTrue(client.closedByBroker());
        }
        assertStillServing();
    }

    @Test
    void aTruncatedConsumerGroupHeartbeatClosesTheConnection() throws IOException {
        byte[] whole = RawKafkaClient.frame(ApiKeys.CONSUMER_GROUP_HEARTBEAT, (short) 1, 12,
                new ConsumerGroupHeartbeatRequestData().setGroupId("group").setMemberId("member-1").setMemberEpoch(0)
                        .setRebalanceTimeoutMs(300_000).setSubscribedTopicNames(List.of("orders"))
                        .setTopicPartitions(List.of()));
        // Cut into the subscribed topic names and the tagged fields, fix the size.
        byte[] truncated = Arrays.copyOf(whole, whole.length - 6);
        ByteBuffer.wrap(truncated).putInt(truncated.length - 4);
        try (RawKafkaClient client = server.connect()) {
            client.sendRaw(truncated);
            assertTrue(client.closedByBroker());
        }
        assertStillServing();
    }

    @Test
    void anUnsupportedVersionOfConsumerGroupDescribeClosesTheConnection() throws IOException {
        byte[] frame = RawKafkaClient.frame(ApiKeys.CONSUMER_GROUP_DESCRIBE, (short) 1, 13,
                new ConsumerGroupDescribeRequestData().setGroupIds(List.of("group")));
        ByteBuffer.wrap(frame).putShort(6, (short) 2); // the version field: 2 does not exist
        try (RawKafkaClient client = server.connect()) {
            client.sendRaw(frame);
            assertTrue(client.closedByBroker());
        }
        assertStillServing();
    }

    @Test
    void aConsumerGroupHeartbeatThatParsesButBreaksTheRulesIsAnsweredNotClosed() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            // v1: the client must make up its member id. No group coordinator here either: the
            // member id check comes first, as in Kafka.
            ConsumerGroupHeartbeatResponseData response = (ConsumerGroupHeartbeatResponseData) client.call(
                    ApiKeys.CONSUMER_GROUP_HEARTBEAT, (short) 1, 14, new ConsumerGroupHeartbeatRequestData()
                            .setGroupId("group").setMemberId("").setMemberEpoch(0).setRebalanceTimeoutMs(1000)
                            .setSubscribedTopicNames(List.of("orders")).setTopicPartitions(List.of())).body();
            assertEquals(Errors.INVALID_REQUEST.code(), response.errorCode());
            // Without a group coordinator a well-formed one is told to find the coordinator again.
            response = (ConsumerGroupHeartbeatResponseData) client.call(ApiKeys.CONSUMER_GROUP_HEARTBEAT, (short) 1,
                    15, new ConsumerGroupHeartbeatRequestData().setGroupId("group").setMemberId("m").setMemberEpoch(0)
                            .setRebalanceTimeoutMs(1000).setSubscribedTopicNames(List.of("orders"))
                            .setTopicPartitions(List.of())).body();
            assertEquals(Errors.COORDINATOR_NOT_AVAILABLE.code(), response.errorCode());
        }
        assertStillServing();
    }

    @Test
    void anUnsupportedVersionOfAnImplementedApiClosesTheConnection() throws IOException {
        byte[] frame = RawKafkaClient.frame(ApiKeys.METADATA, (short) 13, 9, new MetadataRequestData());
        ByteBuffer.wrap(frame).putShort(6, (short) 14); // the version field, after size and api key
        try (RawKafkaClient client = server.connect()) {
            client.sendRaw(frame);
            assertTrue(client.closedByBroker());
        }
        assertStillServing();
    }

    @Test
    void aFrameTooShortForAHeaderClosesTheConnection() throws IOException {
        // 6 bytes: api key, version, half a correlation id
        byte[] frame = ByteBuffer.allocate(10).putInt(6).putShort(ApiKeys.API_VERSIONS.id).putShort((short) 3)
                .putShort((short) 0).array();
        try (RawKafkaClient client = server.connect()) {
            client.sendRaw(frame);
            assertTrue(client.closedByBroker());
        }
        assertStillServing();
    }

    @Test
    void aTruncatedBodyClosesTheConnection() throws IOException {
        byte[] whole = RawKafkaClient.frame(ApiKeys.METADATA, (short) 4, 11,
                new MetadataRequestData().setTopics(List.of(
                        new MetadataRequestData.MetadataRequestTopic().setName("orders"))));
        // Keep the header and the topic array length, cut the topic name short, fix the size.
        byte[] truncated = Arrays.copyOf(whole, whole.length - 4);
        ByteBuffer.wrap(truncated).putInt(truncated.length - 4);
        try (RawKafkaClient client = server.connect()) {
            client.sendRaw(truncated);
            assertTrue(client.closedByBroker());
        }
        assertStillServing();
    }

    @Test
    void responsesBeforeAViolationAreStillDelivered() throws IOException {
        byte[] good = RawKafkaClient.frame(ApiKeys.API_VERSIONS, (short) 3, 21, RawKafkaClient.apiVersionsRequest());
        byte[] bad = ByteBuffer.allocate(4).putInt(-5).array();
        try (RawKafkaClient client = server.connect()) {
            client.sendRaw(concat(good, bad));
            assertEquals(21, client.read(ApiKeys.API_VERSIONS, (short) 3).correlationId());
            assertTrue(client.closedByBroker());
        }
    }

    private void assertStillServing() throws IOException {
        try (RawKafkaClient client = server.connect()) {
            ApiVersionsResponseData response = (ApiVersionsResponseData) client
                    .call(ApiKeys.API_VERSIONS, (short) 3, 99, RawKafkaClient.apiVersionsRequest()).body();
            assertEquals(Errors.NONE.code(), response.errorCode());
        }
    }

    private static byte[] concat(byte[] first, byte[] second) {
        byte[] both = Arrays.copyOf(first, first.length + second.length);
        System.arraycopy(second, 0, both, first.length, second.length);
        return both;
    }
}
