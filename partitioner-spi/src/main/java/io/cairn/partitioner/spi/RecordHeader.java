package io.cairn.partitioner.spi;

import java.nio.ByteBuffer;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One record header. Kafka allows a key to occur more than once; the last occurrence is the one
 * that counts by convention ({@link PartitionRequest#lastHeader(String)}).
 *
 * @param key the header key, never {@code null}
 * @param value the header value, or {@code null}; each call of {@link #value()} returns a new
 *     read-only view of the same bytes, so reading it moves nobody else's position
 */
@ProviderType
public record RecordHeader(String key, ByteBuffer value) {

    /** @throws NullPointerException if {@code key} is {@code null} */
    public RecordHeader {
        Objects.requireNonNull(key, "header key");
        value = value == null ? null : value.slice().asReadOnlyBuffer();
    }

    /**
     * A header over a byte array, which is not copied: do not change it while the header is used.
     *
     * @param key the header key
     * @param value the value, or {@code null}
     * @return the header
     */
    public static RecordHeader of(String key, byte[] value) {
        return new RecordHeader(key, value == null ? null : ByteBuffer.wrap(value));
    }

    /** A new read-only view of the value, positioned at its first byte; {@code null} if none. */
    @Override
    public ByteBuffer value() {
        return value == null ? null : value.duplicate();
    }
}
