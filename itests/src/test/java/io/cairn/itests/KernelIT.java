package io.cairn.itests;

import static io.cairn.itests.FelixContainer.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.file.Files;
import java.nio.file.Path;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.PluginCatalog;
import io.cairn.broker.spi.cluster.PluginInfo;
import io.cairn.itests.hot.HotPartitioner;

/**
 * The real bundles of the default broker in Felix: the kernel follows plugins as they arrive and
 * leave at runtime, with no restart.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class KernelIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private PluginCatalog catalog;

    @Configuration
    public Option[] config() throws Exception {
        Path hot = TestBundles.write(Files.createTempDirectory("cairn-it").resolve("hot-partitioner.jar"),
                "io.cairn.itests.hot", HotPartitioner.class,
                "io.cairn.partitioner.spi;version=\"[0.1,1)\",org.osgi.framework", HotPartitioner.class);
        return FelixContainer.withDataDir("cairn-it-data", systemProperty("cairn.it.hotBundle").value(hot.toUri().toString()));
    }

    @Before
    public void configureBroker() throws Exception {
        FelixContainer.configureBroker(configAdmin, FelixContainer.brokerConfiguration(5));
    }

    @Test
    public void aPluginBundleInstalledAtRuntimeIsOfferedAndGoneWhenUninstalled() throws Exception {
        assertFalse(hasPlugin("Partitioner", "hot"));

        Bundle bundle = context.installBundle(System.getProperty("cairn.it.hotBundle"));
        bundle.start();
        await("the kernel sees the hot-deployed partitioner", () -> hasPlugin("Partitioner", "hot"));
        PluginInfo info = find("Partitioner", "hot");
        assertEquals("io.cairn.itests.hot", info.bundle());

        bundle.stop();
        await("the partitioner disappears when its bundle stops", () -> !hasPlugin("Partitioner", "hot"));
        bundle.start();
        await("and comes back when it starts again", () -> hasPlugin("Partitioner", "hot"));
        bundle.uninstall();
        await("and is gone when it is uninstalled", () -> !hasPlugin("Partitioner", "hot"));
    }

    @Test
    public void theBrokerFollowsItsMetadataStoreBundle() throws Exception {
        await("the standalone metadata store is offered and selected", () -> catalog.plugins().stream()
                .anyMatch(p -> p.kind().equals("MetadataStore") && p.name().equals("standalone") && p.selected()));
        await("the broker joins its cluster", () -> broker() != null);
        LocalBroker broker = broker();
        assertEquals(5, broker.brokerId());
        assertEquals(5, broker.cluster().controllerId());
        String clusterId = broker.cluster().clusterId();
        assertEquals(22, clusterId.length());

        Bundle store = FelixContainer.bundleNamed(context, "io.cairn.metadata.standalone");
        store.stop();
        await("without its metadata store the broker leaves", () -> broker() == null);
        assertTrue(catalog.plugins().stream().noneMatch(p -> p.kind().equals("MetadataStore")));

        store.start();
        await("with the store back the broker rejoins", () -> broker() != null);
        assertEquals("the cluster id persisted in the store's file", clusterId, broker().cluster().clusterId());
        assertTrue(Files.exists(FelixContainer.dataDir().resolve("cairn-metadata.tree")));
    }

    private LocalBroker broker() {
        ServiceReference<LocalBroker> ref = context.getServiceReference(LocalBroker.class);
        return ref == null ? null : context.getService(ref);
    }

    private boolean hasPlugin(String kind, String name) {
        return catalog.plugins().stream().anyMatch(p -> p.kind().equals(kind) && p.name().equals(name));
    }

    private PluginInfo find(String kind, String name) {
        return catalog.plugins().stream().filter(p -> p.kind().equals(kind) && p.name().equals(name)).findFirst()
                .orElseThrow();
    }
}
