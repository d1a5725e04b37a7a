package io.cairn.protocol.kafka.internal;

import java.nio.ByteBuffer;

import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ByteBufferAccessor;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToByteEncoder;

/**
 * Writes a {@link KafkaResponse} as a Kafka frame: int32 size, response header, body, serialised
 * by kafka-clients' generated classes straight into the outbound buffer.
 *
 * <p>Thread-safety: stateless; one instance per connection, used on its event loop.
 */
final class KafkaResponseEncoder extends MessageToByteEncoder<KafkaResponse> {

    KafkaResponseEncoder() {
        super(KafkaResponse.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, KafkaResponse response, ByteBuf out) {
        // One cache for both passes: size() records lengths of strings and arrays that write() reuses.
        ObjectSerializationCache cache = new ObjectSerializationCache();
        ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(response.correlationId());
        int headerSize = header.size(cache, response.headerVersion());
        int bodySize = response.body().size(cache, response.apiVersion());
        int size = headerSize + bodySize;
        out.ensureWritable(KafkaFrameDecoder.SIZE_FIELD_BYTES + size);
        out.writeInt(size);
        // The buffer MessageToByteEncoder allocates is a single region: write into a view of it.
        // Only a composite buffer (never handed out here) would need the copying path.
        boolean singleRegion = out.nioBufferCount() == 1;
        ByteBuffer target = singleRegion ? out.nioBuffer(out.writerIndex(), size) : ByteBuffer.allocate(size);
        ByteBufferAccessor writer = new ByteBufferAccessor(target);
        header.write(writer, cache, response.headerVersion());
        response.body().write(writer, cache, response.apiVersion());
        if (singleRegion) {
            out.writerIndex(out.writerIndex() + size);
        } else {
            out.writeBytes(target.flip());
        }
    }
}
