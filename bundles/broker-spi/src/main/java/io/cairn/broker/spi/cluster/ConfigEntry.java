package io.cairn.broker.spi.cluster;

import org.osgi.annotation.versioning.ProviderType;

/**
 * One effective configuration value, as DescribeConfigs reports it.
 *
 * @param name the key
 * @param value the effective value, or {@code null}
 * @param source where the value comes from
 * @param readOnly whether AlterConfigs may change it
 */
@ProviderType
public record ConfigEntry(String name, String value, Source source, boolean readOnly) {

    /** Kafka's config sources, by name. */
    @ProviderType
    public enum Source {
        DYNAMIC_TOPIC_CONFIG, DYNAMIC_BROKER_CONFIG, STATIC_BROKER_CONFIG, DEFAULT_CONFIG
    }
}
