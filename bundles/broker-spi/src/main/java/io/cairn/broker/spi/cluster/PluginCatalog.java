package io.cairn.broker.spi.cluster;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The plugins the kernel sees now, by kind and name. It follows services as bundles come and go:
 * a plugin appears here as soon as its service is registered and disappears when it is unregistered.
 */
@ProviderType
public interface PluginCatalog {

    /** The service property that names a plugin within its kind. */
    String NAME_PROPERTY = "cairn.name";

    /** Every plugin, ordered by kind, then name. */
    List<PluginInfo> plugins();
}
