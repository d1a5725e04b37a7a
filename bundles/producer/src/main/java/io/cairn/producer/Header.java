package io.cairn.producer;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One record header, as Kafka carries it: a string key (may repeat within a record) and a byte
 * value or none.
 *
 * @param key the header key, never {@code null}
 * @param value the value, or {@code null}; not copied, so do not change the array after sending
 */
@ProviderType
public record Header(String key, byte[] value) {

    /** @throws NullPointerException if {@code key} is {@code null} */
    public Header {
        Objects.requireNonNull(key, "header key");
    }
}
