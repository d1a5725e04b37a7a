package io.cairn.itests.partitioners;

import static io.cairn.itests.FelixContainer.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;

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
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import io.cairn.broker.spi.cluster.PluginCatalog;
import io.cairn.itests.FelixContainer;
import io.cairn.broker.spi.cluster.PluginInfo;
import io.cairn.partitioner.spi.Murmur2;
import io.cairn.partitioner.spi.PartitionInfo;
import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;

/**
 * The partitioner bundles in Felix with the default broker's bundles: the three built-ins are offered
 * to the kernel from the distribution, and the example header partitioner, which the distribution
 * does not ship, is installed at runtime, configured through ConfigAdmin, used, and removed — no
 * restart. Only wiring is checked here; placement is the bundles' unit tests' business.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class PartitionerBundlesIT {

    private static final String HEADER_PID = "io.cairn.partitioner.example.header";

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private PluginCatalog catalog;

    @Configuration
    public Option[] config() throws Exception {
        return FelixContainer.withDataDir("cairn-it-data",
                systemProperty("cairn.it.exampleBundle").value(DeployableBroker.exampleBundle().toUri().toString()));
    }

    @Before
    public void configureBroker() throws Exception {
        FelixContainer.configureBroker(configAdmin, FelixContainer.brokerConfiguration(6));
    }

    @Test
    public void theDistributionOffersTheBuiltInPartitionersAndSelectsKeyhash() throws Exception {
        for (String name : List.of("explicit", "keyhash", "roundrobin")) {
            await("the kernel sees partitioner " + name, () -> plugin(name) != null);
            assertEquals("io.cairn.partitioner." + name, plugin(name).bundle());
        }
        await("keyhash is the broker default", () -> plugin("keyhash").selected());

        byte[] key = "order-17".getBytes(StandardCharsets.UTF_8);
        PartitionRequest record = PartitionRequest.builder("orders", led(12)).key(key).build();
        assertEquals(Murmur2.partitionForKey(ByteBuffer.wrap(key), 12), service("keyhash").partition(record));
    }

    @Test
    public void theExampleBundleIsOfferedConfiguredUsedAndGoneWithoutARestart() throws Exception {
        assertNull(plugin("header"));
        Bundle example = context.installBundle(System.getProperty("cairn.it.exampleBundle"));
        try {
            example.start();
            await("the kernel sees the example partitioner", () -> plugin("header") != null);
            assertEquals("io.cairn.partitioner.example.header", plugin("header").bundle());

            PartitionRequest record = PartitionRequest.builder("tenants", led(30)).key(bytes("k"))
                    .header("cairn-partition-key", bytes("acme")).header("tenant", bytes("globex")).build();
            assertEquals("placed by the default header", partitionForKey("acme", 30), service("header").partition(record));

            Dictionary<String, Object> settings = new Hashtable<>();
            settings.put("header.name", "tenant");
            configAdmin.getConfiguration(HEADER_PID, "?").update(settings);
            await("the partitioner follows its configuration", () -> "tenant".equals(headerName()));
            assertEquals("placed by the configured header", partitionForKey("globex", 30), service("header").partition(record));
        } finally {
            configAdmin.getConfiguration(HEADER_PID, "?").delete();
            example.uninstall();
        }
        await("the example partitioner is gone once uninstalled", () -> plugin("header") == null);
    }

    private static List<PartitionInfo> led(int count) {
        List<PartitionInfo> partitions = new ArrayList<>();
        for (int p = 0; p < count; p++) {
            partitions.add(new PartitionInfo(p, 6));
        }
        return partitions;
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static int partitionForKey(String key, int count) {
        return Murmur2.partitionForKey(ByteBuffer.wrap(bytes(key)), count);
    }

    private PluginInfo plugin(String name) {
        return catalog.plugins().stream().filter(p -> p.kind().equals("Partitioner") && p.name().equals(name)).findFirst()
                .orElse(null);
    }

    private ServiceReference<Partitioner> reference(String name) throws InvalidSyntaxException {
        Collection<ServiceReference<Partitioner>> refs = context.getServiceReferences(Partitioner.class,
                "(" + Partitioner.NAME_PROPERTY + "=" + name + ")");
        assertTrue("one partitioner named " + name + ": " + refs, refs.size() == 1);
        return refs.iterator().next();
    }

    private Partitioner service(String name) throws InvalidSyntaxException {
        return context.getService(reference(name));
    }

    private String headerName() {
        try {
            Collection<ServiceReference<Partitioner>> refs = context.getServiceReferences(Partitioner.class,
                    "(" + Partitioner.NAME_PROPERTY + "=header)");
            return refs.size() == 1 ? (String) refs.iterator().next().getProperty("header.name") : null;
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }
}
