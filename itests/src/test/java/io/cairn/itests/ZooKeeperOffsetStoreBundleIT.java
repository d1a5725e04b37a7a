package io.cairn.itests;

import static io.cairn.itests.FelixContainer.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collection;
import java.util.Dictionary;
import java.util.List;
import java.util.concurrent.TimeUnit;

import javax.inject.Inject;

import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.OffsetStore;

/**
 * The ZooKeeper offset store's bundles from the default features in Felix: ZooKeeper (wrapped),
 * Curator and their dependencies resolve and start; the store is offered exactly while the broker
 * configuration sets {@code zookeeper.connect}, follows a change of it, and talks to a real
 * ZooKeeper server (a child process) from inside OSGi; pointed at a dead address its calls fail
 * with an error that says so.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ZooKeeperOffsetStoreBundleIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws Exception {
        return FelixContainer.withDataDir("cairn-zk-bundle-it");
    }

    private void configure(String zookeeperConnect) throws IOException {
        Dictionary<String, Object> props = FelixContainer.brokerConfiguration(4);
        props.put("cairn.metadata.store", "standalone");
        props.put("offsets.commit.timeout.ms", "1000");
        if (zookeeperConnect != null) {
            props.put("zookeeper.connect", zookeeperConnect);
        }
        FelixContainer.configureBroker(configAdmin, props);
    }

    private Collection<ServiceReference<OffsetStore>> zookeeperStores() {
        try {
            return context.getServiceReferences(OffsetStore.class, "(cairn.name=zookeeper)");
        } catch (InvalidSyntaxException e) {
            throw new AssertionError(e);
        }
    }

    private OffsetStore storeFor(String connect) throws InterruptedException {
        await("the zookeeper store registered for " + connect, () -> zookeeperStores().stream()
                .anyMatch(r -> connect.equals(r.getProperty("zookeeper.connect"))));
        return context.getService(zookeeperStores().iterator().next());
    }

    @Test
    public void offeredWhileZooKeeperIsConfiguredAndWorkingInsideOsgi() throws Exception {
        for (String name : List.of("org.apache.zookeeper", "curator-client", "curator-framework",
                "curator-recipes", "io.cairn.offsets.zookeeper")) {
            Bundle b = List.of(context.getBundles()).stream().filter(x -> name.equals(x.getSymbolicName())).findFirst()
                    .orElseThrow(() -> new AssertionError("no bundle " + name));
            assertEquals(name + " is active", Bundle.ACTIVE, b.getState());
        }

        configure(null);
        await("the file store is offered", () -> {
            try {
                return !context.getServiceReferences(OffsetStore.class, "(cairn.name=file)").isEmpty();
            } catch (InvalidSyntaxException e) {
                throw new AssertionError(e);
            }
        });
        assertTrue("no zookeeper store without zookeeper.connect", zookeeperStores().isEmpty());

        Path dir = Files.createTempDirectory("cairn-zk-bundle-it-zk");
        try (ZooKeeperProcess zookeeper = ZooKeeperProcess.start(dir)) {
            String connect = zookeeper.hosts() + "/bundle-it";
            configure(connect);
            OffsetStore store = storeFor(connect);
            CommittedOffset offset = new CommittedOffset("t", 0, 42, 1, "inside felix", 1_700_000_000_000L);
            store.commit("g", List.of(offset));
            assertEquals(List.of(offset), store.fetch("g"));
            assertEquals(List.of("42"), zookeeper.cli(connect, "get", "/consumers/g/offsets/t/0"));

            // A changed connect string: the store is registered anew for it. Nothing listens there.
            String dead = "127.0.0.1:" + BrokerProcess.freePort();
            configure(dead);
            OffsetStore unreachable = storeFor(dead);
            assertEquals(1, zookeeperStores().size());
            long start = System.nanoTime();
            try {
                unreachable.fetch("g");
                fail("fetched from a ZooKeeper that is not there");
            } catch (IOException e) {
                assertTrue(e.getMessage(), e.getMessage().contains("not connected to ZooKeeper"));
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertTrue("failed after " + tookMs + " ms with offsets.commit.timeout.ms=1000", tookMs < 5_000);
        }

        configure(null);
        await("the zookeeper store withdrawn", () -> zookeeperStores().isEmpty());
    }
}
