package io.cairn.broker.spi.cluster;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A plugin service the kernel can see.
 *
 * @param kind the plugin kind: the simple name of its SPI interface, e.g. {@code StorageEngine}
 * @param name the plugin's {@code cairn.name}
 * @param bundle the symbolic name of the bundle that registered it
 * @param serviceId the OSGi service id
 * @param selected whether the broker configuration currently selects this plugin as its default
 */
@ProviderType
public record PluginInfo(String kind, String name, String bundle, long serviceId, boolean selected) {
}
