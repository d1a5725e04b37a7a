package io.cairn.protocol.kafka.internal;

import java.io.IOException;
import java.nio.channels.WritableByteChannel;

import org.apache.kafka.common.message.FetchResponseData;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.record.internal.BaseRecords;
import org.apache.kafka.common.record.internal.RecordsSend;

import io.cairn.storage.spi.FileSlice;
import io.cairn.storage.spi.LogReadResult;
import io.netty.channel.DefaultFileRegion;
import io.netty.channel.FileRegion;
import io.netty.util.AbstractReferenceCounted;

/**
 * The records field of a fetch response as a region of the log ({@link LogReadResult}) rather than
 * bytes in memory. kafka-clients' generated {@code FetchResponseData} sizes it through
 * {@link #sizeInBytes()}; {@link KafkaResponseEncoder} then splices it into the outbound stream as
 * a Netty {@link FileRegion}: {@code sendfile} straight from the segment file when the engine
 * offers a {@link FileSlice}, else the engine's own {@link LogReadResult#transferTo}. No record
 * byte passes through the Java heap on either path.
 *
 * <p>Ownership: the region is released exactly once — by the file region after it was written
 * (or dropped by Netty), or by {@link #release()} if the response never reaches the encoder.
 *
 * <p>Thread-safety: used by one thread at a time, handed from the request thread to the event loop
 * through the handler's completion stage.
 */
final class LogRegionRecords implements BaseRecords {

    private final LogReadResult region;
    private final int size;
    private boolean handedOver;
    private boolean released;

    /**
     * @param region a non-empty read result whose size fits a fetch response (a fetch never asks for
     *     more than {@link Integer#MAX_VALUE} bytes)
     */
    LogRegionRecords(LogReadResult region) {
        long bytes = region.sizeInBytes();
        if (bytes <= 0 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("region of " + bytes + " bytes");
        }
        this.region = region;
        this.size = (int) bytes;
    }

    @Override
    public int sizeInBytes() {
        return size;
    }

    /** Never used: this broker writes responses with its own encoder, not kafka-clients' sends. */
    @Override
    public RecordsSend<? extends BaseRecords> toSend() {
        throw new UnsupportedOperationException("log regions are written by KafkaResponseEncoder");
    }

    /** The region as a Netty file region that owns it from now on. */
    FileRegion toFileRegion() {
        if (handedOver || released) {
            throw new IllegalStateException("log region already " + (released ? "released" : "handed over"));
        }
        handedOver = true;
        return region.fileSlice()
                .<FileRegion>map(slice -> new SliceRegion(slice, region))
                .orElseGet(() -> new TransferRegion(region, size));
    }

    /** Releases the region unless a file region owns it. Idempotent. */
    void release() {
        if (!handedOver && !released) {
            released = true;
            region.release();
        }
    }

    /** Releases every region a response body holds that has not been handed to the encoder. */
    static void releaseAll(ApiMessage body) {
        if (body instanceof FetchResponseData fetch) {
            for (FetchResponseData.FetchableTopicResponse topic : fetch.responses()) {
                for (FetchResponseData.PartitionData partition : topic.partitions()) {
                    if (partition.records() instanceof LogRegionRecords records) {
                        records.release();
                    }
                }
            }
        }
    }

    /**
     * A range of a segment file, sent with {@code sendfile} by the epoll and NIO transports (both
     * recognise {@link DefaultFileRegion}). The channel belongs to the engine: deallocation releases
     * the read result instead of closing it.
     */
    private static final class SliceRegion extends DefaultFileRegion {

        private final LogReadResult region;

        SliceRegion(FileSlice slice, LogReadResult region) {
            super(slice.channel(), slice.position(), slice.count());
            this.region = region;
        }

        @Override
        protected void deallocate() {
            region.release();
        }
    }

    /** A region the engine writes itself (an in-memory engine), through {@link LogReadResult#transferTo}. */
    private static final class TransferRegion extends AbstractReferenceCounted implements FileRegion {

        private final LogReadResult region;
        private final long count;
        private long transferred;

        TransferRegion(LogReadResult region, long count) {
            this.region = region;
            this.count = count;
        }

        @Override
        public long position() {
            return 0;
        }

        @Override
        @Deprecated
        public long transfered() {
            return transferred;
        }

        @Override
        public long transferred() {
            return transferred;
        }

        @Override
        public long count() {
            return count;
        }

        @Override
        public long transferTo(WritableByteChannel target, long position) throws IOException {
            long remaining = count - position;
            if (remaining <= 0) {
                return 0;
            }
            long written = region.transferTo(target, position, remaining);
            if (written > 0) {
                transferred += written;
            }
            return written;
        }

        @Override
        protected void deallocate() {
            region.release();
        }

        @Override
        public FileRegion retain() {
            super.retain();
            return this;
        }

        @Override
        public FileRegion retain(int increment) {
            super.retain(increment);
            return this;
        }

        @Override
        public FileRegion touch() {
            return this;
        }

        @Override
        public FileRegion touch(Object hint) {
            return this;
        }
    }
}
