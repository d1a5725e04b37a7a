package io.cairn.protocol.kafka.internal;

import java.nio.ByteBuffer;
import java.util.List;

import org.apache.kafka.common.message.ApiMessageType;
import org.apache.kafka.common.message.ApiVersionsRequestData;
import org.apache.kafka.common.message.ProduceRequestData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.record.internal.MemoryRecords;
import org.apache.kafka.common.requests.RequestHeader;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageDecoder;

/**
 * Turns a request frame into a {@link KafkaRequest} with kafka-clients' own parsers:
 * {@link RequestHeader#parse} and the generated {@code *RequestData} class of the API.
 *
 * <p>The API key and version are checked against what {@link KafkaApis} implements before the
 * header is parsed. A request for an unknown or unimplemented API or version raises a
 * {@link ProtocolViolationException} — the connection is closed, as Kafka does — with one
 * exception taken from Kafka: an ApiVersions request newer than supported is passed on with an empty
 * body, to be answered with {@code UNSUPPORTED_VERSION} in version 0. A frame that does not parse
 * (truncated, bad lengths, bad strings) is a violation too.
 *
 * <p>The frame is released when {@link #decode} returns, so a parsed body must not keep views
 * into it. The only such fields are a produce request's records: each partition's records are
 * copied into a heap buffer of their own here, once, and that copy is what reaches the log.
 *
 * <p>Thread-safety: stateless apart from the shared, immutable {@link KafkaApis}; one instance per
 * connection.
 */
final class KafkaRequestDecoder extends MessageToMessageDecoder<ByteBuf> {

    /** api_key (int16) and api_version (int16) lead every request header version. */
    private static final int KEY_AND_VERSION_BYTES = 2 * Short.BYTES;

    private final KafkaApis apis;

    KafkaRequestDecoder(KafkaApis apis) {
        this.apis = apis;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf frame, List<Object> out) {
        if (frame.readableBytes() < KEY_AND_VERSION_BYTES) {
            throw new ProtocolViolationException("request of " + frame.readableBytes()
                    + " bytes is too short for a request header");
        }
        short apiKeyId = frame.getShort(frame.readerIndex());
        short version = frame.getShort(frame.readerIndex() + Short.BYTES);
        if (!ApiKeys.hasId(apiKeyId)) {
            throw new ProtocolViolationException("unknown API key " + apiKeyId);
        }
        ApiKeys apiKey = ApiKeys.forId(apiKeyId);
        SupportedApi supported = apis.supported(apiKey)
                .orElseThrow(() -> new ProtocolViolationException("unsupported API " + apiKey.name + " (key "
                        + apiKeyId + ")"));
        boolean tooNewApiVersions = apiKey == ApiKeys.API_VERSIONS && version > supported.maxVersion();
        if (!supported.supports(version) && !tooNewApiVersions) {
            throw new ProtocolViolationException("unsupported version " + version + " of " + apiKey.name
                    + " (supported " + supported.minVersion() + ".." + supported.maxVersion() + ")");
        }
        ByteBuffer buffer = frame.nioBuffer();
        RequestHeader header = parseHeader(buffer, apiKey, version);
        if (tooNewApiVersions) {
            out.add(new KafkaRequest(header, new ApiVersionsRequestData(), true));
            return;
        }
        ApiMessage body = parseBody(buffer, apiKey, version);
        if (body instanceof ProduceRequestData produce) {
            copyRecordsOutOfFrame(produce);
        }
        out.add(new KafkaRequest(header, body, false));
    }

    private static void copyRecordsOutOfFrame(ProduceRequestData produce) {
        for (ProduceRequestData.TopicProduceData topic : produce.topicData()) {
            for (ProduceRequestData.PartitionProduceData partition : topic.partitionData()) {
                if (partition.records() instanceof MemoryRecords records) {
                    ByteBuffer view = records.buffer();
                    ByteBuffer copy = ByteBuffer.allocate(view.remaining());
                    copy.put(view.duplicate()).flip();
                    partition.setRecords(MemoryRecords.readableRecords(copy));
                }
            }
        }
    }

    private static RequestHeader parseHeader(ByteBuffer buffer, ApiKeys apiKey, short version) {
        try {
            return RequestHeader.parse(buffer);
        } catch (RuntimeException e) {
            throw new ProtocolViolationException("malformed request header of " + apiKey.name + " v" + version, e);
        }
    }

    private static ApiMessage parseBody(ByteBuffer buffer, ApiKeys apiKey, short version) {
        ApiMessage body = ApiMessageType.fromApiKey(apiKey.id).newRequest();
        try {
            body.read(new ByteBufferAccessor(buffer), version);
        } catch (RuntimeException e) {
            throw new ProtocolViolationException("malformed " + apiKey.name + " v" + version + " request body", e);
        }
        return body;
    }
}
