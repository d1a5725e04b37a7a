package io.cairn.partitioner.spi;

import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One record header.
 *
 * @param key the header key, never {@code null}
 * @param value the header value, or {@code null}
 */
@ProviderType
public record RecordHeader(String key, ByteBuffer value) {
}
