package io.cairn.protocol.kafka.internal;

import java.util.List;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.ByteToMessageDecoder;

/**
 * Splits the inbound byte stream into Kafka request frames: a 4-byte big-endian size, then that
 * many bytes. Emits each frame (without its size) as a retained slice.
 *
 * <p>The size is checked as soon as its 4 bytes are there, before anything is buffered for the
 * frame: a negative size, or one above {@code socket.request.max.bytes}, raises a
 * {@link ProtocolViolationException} and every later byte of the connection is discarded. Memory
 * only grows with bytes actually received, never with what a size field claims.
 *
 * <p>Thread-safety: one instance per connection, used on its event loop only.
 */
final class KafkaFrameDecoder extends ByteToMessageDecoder {

    /** The size prefix is an int32. */
    static final int SIZE_FIELD_BYTES = Integer.BYTES;

    private final int maxFrameBytes;
    private boolean rejected;

    /** @param maxFrameBytes the largest frame accepted, {@code socket.request.max.bytes} */
    KafkaFrameDecoder(int maxFrameBytes) {
        this.maxFrameBytes = maxFrameBytes;
    }

    @Override
    protected void decode(ChannelHandlerContext ctx, ByteBuf in, List<Object> out) {
        if (rejected) {
            in.skipBytes(in.readableBytes());
            return;
        }
        if (in.readableBytes() < SIZE_FIELD_BYTES) {
            return;
        }
        int size = in.getInt(in.readerIndex());
        if (size < 0 || size > maxFrameBytes) {
            rejected = true;
            in.skipBytes(in.readableBytes());
            throw new ProtocolViolationException(size < 0
                    ? "negative request size " + size
                    : "request size " + size + " exceeds socket.request.max.bytes=" + maxFrameBytes);
        }
        if (in.readableBytes() < SIZE_FIELD_BYTES + size) {
            return;
        }
        in.skipBytes(SIZE_FIELD_BYTES);
        out.add(in.readRetainedSlice(size));
    }
}
