package io.cairn.broker.spi.groups;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One protocol a joining member supports, in its order of preference: for consumers, an assignor
 * name ({@code range}, {@code cooperative-sticky}, …) and the member's subscription in the
 * consumer protocol's format. The coordinator never interprets the metadata; it hands it to the
 * leader as it came.
 *
 * @param name the protocol name
 * @param metadata the protocol metadata, not copied: do not change it afterwards
 */
@ProviderType
public record GroupProtocol(String name, byte[] metadata) {

    public GroupProtocol {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(metadata, "metadata");
    }
}
