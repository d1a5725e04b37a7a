package io.cairn.protocol.kafka.internal;

import java.util.List;

import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.message.ResponseHeaderData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.protocol.ObjectSerializationCache;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.MessageToMessageEncoder;

/**
 * Writes a {@link KafkaResponse} as a Kafka frame: int32 size, response header, body, serialised
 * by kafka-clients' generated classes.
 *
 * <p>Zero-copy fetch: a fetch response's records are {@link LogRegionRecords}. The body is written
 * once, by the generated code, through a {@link SplicingWriter}: everything but the records goes
 * into one buffer of exactly the non-record size, and at each records field the writer notes the
 * position and the region. The output is then the buffer's slices interleaved with the regions as
 * Netty file regions, so record bytes go from the log to the socket without a heap copy. Any other
 * response is one buffer.
 *
 * <p>If encoding fails, regions not yet handed over are released here; those handed over are
 * released by Netty with the rest of the output.
 *
 * <p>Thread-safety: stateless; one instance per connection, used on its event loop.
 */
final class KafkaResponseEncoder extends MessageToMessageEncoder<KafkaResponse> {

    KafkaResponseEncoder() {
        super(KafkaResponse.class);
    }

    @Override
    protected void encode(ChannelHandlerContext ctx, KafkaResponse response, List<Object> out) {
        ApiMessage body = response.body();
        ByteBuf buffer = null;
        SplicingWriter writer = null;
        try {
            // One cache for both passes: size() records lengths of strings and arrays that write() reuses.
            ObjectSerializationCache cache = new ObjectSerializationCache();
            ResponseHeaderData header = new ResponseHeaderData().setCorrelationId(response.correlationId());
            int size = header.size(cache, response.headerVersion()) + body.size(cache, response.apiVersion());
            int frameBytes = KafkaFrameDecoder.SIZE_FIELD_BYTES + size;
            buffer = ctx.alloc().buffer((int) (frameBytes - splicedBytes(body)));
            buffer.writeInt(size);
            writer = new SplicingWriter(buffer);
            header.write(writer, cache, response.headerVersion());
            body.write(writer, cache, response.apiVersion());
            if (buffer.writerIndex() + writer.splicedBytes() != frameBytes) {
                throw new IllegalStateException("wrote " + (buffer.writerIndex() + writer.splicedBytes())
                        + " bytes of a " + frameBytes + "-byte frame");
            }
            out.addAll(writer.finish());
        } catch (RuntimeException e) {
            if (writer != null) {
                writer.abandon();
            }
            LogRegionRecords.releaseAll(body);
            throw e;
        } finally {
            if (buffer != null) {
                buffer.release();
            }
        }
    }

    /** Bytes of {@code body} that are log regions rather than serialised fields. */
    private static long splicedBytes(ApiMessage body) {
        long bytes = 0;
        if (body instanceof FetchResponseData fetch) {
            for (FetchResponseData.FetchableTopicResponse topic : fetch.responses()) {
                for (FetchResponseData.PartitionData partition : topic.partitions()) {
                    if (partition.records() instanceof LogRegionRecords records) {
                        bytes += records.sizeInBytes();
                    }
                }
            }
        }
        return bytes;
    }
}
