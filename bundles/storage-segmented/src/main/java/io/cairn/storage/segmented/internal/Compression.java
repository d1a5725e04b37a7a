package io.cairn.storage.segmented.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.xerial.snappy.SnappyInputStream;
import org.xerial.snappy.SnappyOutputStream;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The record-section codecs of Kafka's v2 batches, byte-compatible with what kafka-clients writes
 * and reads: gzip ({@code java.util.zip}), snappy (xerial's stream framing, as Kafka's
 * {@code SnappyOutputStream}), lz4 (the LZ4 frame format, written as Kafka's
 * {@code Lz4BlockOutputStream}: independent 64 KiB blocks, no checksums) and zstd (one frame).
 *
 * <p>The codec libraries are the shared bundles the distribution deploys for the protocol front end
 * (snappy-java, lz4-java, zstd-jni); this class is the only one in the engine that touches them.
 *
 * <p>Stateless; thread-safe.
 */
final class Compression {

    static final int NONE = 0;
    static final int GZIP = 1;
    static final int SNAPPY = 2;
    static final int LZ4 = 3;
    static final int ZSTD = 4;

    private static final Logger LOG = LoggerFactory.getLogger(Compression.class);

    /** Kafka's zstd default level (ZSTD_CLEVEL_DEFAULT). */
    private static final int ZSTD_LEVEL = 3;
    private static final int LZ4_MAGIC = 0x184D2204;
    /** LZ4 frame descriptor: version 01, independent blocks, no block/content checksum, no size. */
    private static final byte LZ4_FLG = 0x60;
    /** LZ4 block descriptor: 64 KiB maximum block size, Kafka's default. */
    private static final byte LZ4_BD = 0x40;
    private static final int LZ4_BLOCK_SIZE = 64 * 1024;

    private static final LZ4Factory LZ4_FACTORY = lz4Factory();
    private static final XXHashFactory XXHASH = XXHashFactory.fastestInstance();

    private Compression() {
    }

    private static LZ4Factory lz4Factory() {
        // Inside OSGi fastestInstance() does not try the native library unless it is already
        // loaded (OSGI-NOTES P14): ask for it once, fall back to the pure Java implementation.
        try {
            return LZ4Factory.nativeInstance();
        } catch (Throwable e) {
            LOG.debug("lz4 native library unavailable ({}); using the Java implementation", e.toString());
            return LZ4Factory.fastestJavaInstance();
        }
    }

    static String name(int codec) {
        return switch (codec) {
            case NONE -> "none";
            case GZIP -> "gzip";
            case SNAPPY -> "snappy";
            case LZ4 -> "lz4";
            case ZSTD -> "zstd";
            default -> "codec " + codec;
        };
    }

    /**
     * The uncompressed record section.
     *
     * @param sizeHint the expected uncompressed size, or 0
     * @throws IOException if the data is not valid for the codec, or the codec is unknown
     */
    static ByteBuffer decompress(int codec, ByteBuffer compressed, int sizeHint) throws IOException {
        return switch (codec) {
            case NONE -> compressed.slice();
            case GZIP -> ByteBuffer.wrap(readAll(new GZIPInputStream(input(compressed), 8192), sizeHint));
            case SNAPPY -> ByteBuffer.wrap(readAll(new SnappyInputStream(input(compressed)), sizeHint));
            case LZ4 -> lz4Decompress(compressed, sizeHint);
            case ZSTD -> ByteBuffer.wrap(readAll(new ZstdInputStreamNoFinalizer(input(compressed)), sizeHint));
            default -> throw new IOException("Unknown compression codec " + codec);
        };
    }

    /** The record section compressed with {@code codec}. */
    static byte[] compress(int codec, byte[] data, int offset, int length) throws IOException {
        switch (codec) {
            case NONE:
                return java.util.Arrays.copyOfRange(data, offset, offset + length);
            case GZIP: {
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 2));
                try (OutputStream gzip = new GZIPOutputStream(out, 8192)) {
                    gzip.write(data, offset, length);
                }
                return out.toByteArray();
            }
            case SNAPPY: {
                ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(64, length / 2));
                try (OutputStream snappy = new SnappyOutputStream(out)) {
                    snappy.write(data, offset, length);
                }
                return out.toByteArray();
            }
            case LZ4:
                return lz4Compress(data, offset, length);
            case ZSTD: {
                byte[] source = offset == 0 && length == data.length ? data : java.util.Arrays.copyOfRange(data, offset, offset + length);
                return Zstd.compress(source, ZSTD_LEVEL);
            }
            default:
                throw new IOException("Unknown compression codec " + codec);
        }
    }

    private static InputStream input(ByteBuffer buffer) {
        if (buffer.hasArray()) {
            return new ByteArrayInputStream(buffer.array(), buffer.arrayOffset() + buffer.position(), buffer.remaining());
        }
        byte[] copy = new byte[buffer.remaining()];
        buffer.duplicate().get(copy);
        return new ByteArrayInputStream(copy);
    }

    private static byte[] readAll(InputStream in, int sizeHint) throws IOException {
        try (in) {
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, sizeHint));
            byte[] chunk = new byte[16 * 1024];
            int n;
            while ((n = in.read(chunk)) > 0) {
                out.write(chunk, 0, n);
            }
            return out.toByteArray();
        }
    }

    // ------------------------------------------------------------------------------------ lz4

    private static byte[] lz4Compress(byte[] data, int offset, int length) {
        LZ4Compressor compressor = LZ4_FACTORY.fastCompressor();
        int blocks = Math.max(1, (length + LZ4_BLOCK_SIZE - 1) / LZ4_BLOCK_SIZE);
        ByteBuffer out = ByteBuffer.allocate(7 + blocks * (4 + compressor.maxCompressedLength(LZ4_BLOCK_SIZE)) + 4)
                .order(ByteOrder.LITTLE_ENDIAN);
        out.putInt(LZ4_MAGIC);
        out.put(LZ4_FLG);
        out.put(LZ4_BD);
        byte[] descriptor = {LZ4_FLG, LZ4_BD};
        out.put((byte) ((XXHASH.hash32().hash(descriptor, 0, 2, 0) >> 8) & 0xFF));
        byte[] scratch = new byte[compressor.maxCompressedLength(LZ4_BLOCK_SIZE)];
        for (int at = offset; at < offset + length; at += LZ4_BLOCK_SIZE) {
            int n = Math.min(LZ4_BLOCK_SIZE, offset + length - at);
            int compressed = compressor.compress(data, at, n, scratch, 0, scratch.length);
            if (compressed >= n) {
                out.putInt(n | 0x80000000); // stored uncompressed: compression did not help
                out.put(data, at, n);
            } else {
                out.putInt(compressed);
                out.put(scratch, 0, compressed);
            }
        }
        out.putInt(0); // end mark
        return java.util.Arrays.copyOf(out.array(), out.position());
    }

    private static ByteBuffer lz4Decompress(ByteBuffer compressed, int sizeHint) throws IOException {
        ByteBuffer in = compressed.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (!in.hasArray()) {
            byte[] copy = new byte[in.remaining()];
            in.duplicate().get(copy);
            in = ByteBuffer.wrap(copy).order(ByteOrder.LITTLE_ENDIAN);
        }
        try {
            if (in.getInt() != LZ4_MAGIC) {
                throw new IOException("Not an LZ4 frame");
            }
            int flg = in.get() & 0xFF;
            int bd = in.get() & 0xFF;
            if ((flg >>> 6) != 1) {
                throw new IOException("Unsupported LZ4 frame version " + (flg >>> 6));
            }
            boolean blockChecksum = (flg & 0x10) != 0;
            if ((flg & 0x08) != 0) {
                in.getLong(); // content size
            }
            in.get(); // header checksum (Kafka before 0.10 computed it wrongly: not checked, as Kafka)
            int maxBlock = 1 << (8 + 2 * ((bd >>> 4) & 0x07));
            LZ4SafeDecompressor decompressor = LZ4_FACTORY.safeDecompressor();
            ByteArrayOutputStream out = new ByteArrayOutputStream(Math.max(256, sizeHint));
            byte[] block = new byte[maxBlock];
            while (true) {
                int size = in.getInt();
                if (size == 0) {
                    break;
                }
                boolean stored = (size & 0x80000000) != 0;
                size &= 0x7FFFFFFF;
                if (size > in.remaining()) {
                    throw new IOException("LZ4 block of " + size + " bytes exceeds the data");
                }
                if (stored) {
                    out.write(in.array(), in.arrayOffset() + in.position(), size);
                } else {
                    int n = decompressor.decompress(in.array(), in.arrayOffset() + in.position(), size, block, 0, maxBlock);
                    out.write(block, 0, n);
                }
                in.position(in.position() + size);
                if (blockChecksum) {
                    in.getInt();
                }
            }
            return ByteBuffer.wrap(out.toByteArray());
        } catch (java.nio.BufferUnderflowException | net.jpountz.lz4.LZ4Exception e) {
            throw new IOException("Malformed LZ4 data: " + e, e);
        }
    }
}
