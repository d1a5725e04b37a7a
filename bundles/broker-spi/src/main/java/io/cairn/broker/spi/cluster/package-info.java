/**
 * What the kernel offers to the bundles around it: the broker configuration, the cluster as this
 * broker sees it, and the catalogue of plugins. The kernel implements every {@code @ProviderType}
 * here and registers {@link io.cairn.broker.spi.cluster.LocalBroker} and
 * {@link io.cairn.broker.spi.cluster.PluginCatalog} as services; front ends (the Kafka protocol
 * bundle, shell commands) consume them.
 *
 * <p>Configuration keys are Kafka's {@code server.properties} keys; Cairn-only keys start with
 * {@code cairn.}. Every plugin service carries the property {@value
 * io.cairn.broker.spi.cluster.PluginCatalog#NAME_PROPERTY} with its name, by which configuration
 * selects it.
 */
@Export
@Version("0.4.0")
package io.cairn.broker.spi.cluster;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
