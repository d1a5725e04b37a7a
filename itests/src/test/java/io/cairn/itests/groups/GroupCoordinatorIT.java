package io.cairn.itests.groups;

import static io.cairn.itests.FelixContainer.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

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
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.cairn.broker.spi.cluster.PluginCatalog;
import io.cairn.itests.FelixContainer;
import io.cairn.broker.spi.groups.FetchedOffset;
import io.cairn.broker.spi.groups.GroupCoordinator;
import io.cairn.broker.spi.groups.OffsetCommit;
import io.cairn.broker.spi.groups.OffsetCommitRequest;
import io.cairn.broker.spi.groups.OffsetFetchRequest;
import io.cairn.broker.spi.groups.PartitionResult;
import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * The group coordinator and the file offset store from the distribution's features, in Felix:
 * offsets committed through the coordinator land in {@code <log dir>/__cairn_offsets}, and when
 * the file store's bundle stops and another store registers under the same name, every offset is
 * handed over and a commit waiting meanwhile lands in the new store.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class GroupCoordinatorIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Inject
    private PluginCatalog catalog;

    @Configuration
    public Option[] config() throws Exception {
        return FelixContainer.withDataDir("cairn-groups-it");
    }

    @Before
    public void configureBroker() throws Exception {
        FelixContainer.configureBroker(configAdmin, FelixContainer.brokerConfiguration(3));
    }

    @Test
    public void offsetsCommittedThroughTheCoordinatorAreKeptInTheFileStore() throws Exception {
        GroupCoordinator coordinator = FelixContainer.service(context, GroupCoordinator.class);
        assertEquals(3, coordinator.coordinatorFor("it-a"));
        assertEquals(Optional.empty(), commit(coordinator, "it-a", 42).get(0).error());
        assertEquals(42, fetch(coordinator, "it-a"));
        assertTrue(Files.size(FelixContainer.dataDir().resolve("__cairn_offsets").resolve("offsets.log")) > 0);
        await("the kernel lists the file store as selected", () -> catalog.plugins().stream()
                .anyMatch(p -> p.kind().equals("OffsetStore") && p.name().equals("file") && p.selected()));
    }

    @Test
    public void stoppingTheStoreBundleAndStartingAnotherStoreKeepsEveryOffset() throws Exception {
        GroupCoordinator coordinator = FelixContainer.service(context, GroupCoordinator.class);
        assertEquals(Optional.empty(), commit(coordinator, "it-b", 7).get(0).error());
        assertEquals(Optional.empty(), commit(coordinator, "it-c", 5).get(0).error());
        Bundle fileStore = FelixContainer.bundleNamed(context, "io.cairn.offsets.file");
        fileStore.stop();

        CompletableFuture<List<PartitionResult>> waiting = coordinator.commitOffsets(request("it-b", 8)).toCompletableFuture();
        try {
            waiting.get(200, TimeUnit.MILLISECONDS);
            fail("no store under the selected name: the commit must wait, but it was answered");
        } catch (TimeoutException expected) {
            // still waiting for a store, as it should
        }

        InMemoryStore replacement = new InMemoryStore();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(OffsetStore.NAME_PROPERTY, "file");
        ServiceRegistration<OffsetStore> reg = context.registerService(OffsetStore.class, replacement, props);
        assertEquals(Optional.empty(), waiting.get(FelixContainer.WAIT.toSeconds(), TimeUnit.SECONDS).get(0).error());
        assertEquals(8, replacement.offset("it-b"));
        assertEquals("offsets of other groups were handed over too", 5, replacement.offset("it-c"));

        // And back: the file store returns, the replacement leaves; the file store gets the newer offset.
        fileStore.start();
        reg.unregister();
        assertEquals(8, fetch(coordinator, "it-b"));
        fileStore.stop();
        fileStore.start();
        assertEquals("a restart of the file store's bundle keeps it", 8, fetch(coordinator, "it-b"));
        assertEquals(5, fetch(coordinator, "it-c"));
    }

    private static OffsetCommitRequest request(String group, long offset) {
        return new OffsetCommitRequest(group, -1, "", Optional.empty(), List.of(new OffsetCommit("t", 0, offset, -1, "it")));
    }

    private static List<PartitionResult> commit(GroupCoordinator c, String group, long offset) throws Exception {
        return c.commitOffsets(request(group, offset)).toCompletableFuture().get(FelixContainer.WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static long fetch(GroupCoordinator c, String group) throws Exception {
        List<FetchedOffset> r = c.fetchOffsets(new OffsetFetchRequest(group, Optional.of(List.of(new PartitionKey("t", 0))),
                false, Optional.empty(), -1)).toCompletableFuture().get(FelixContainer.WAIT.toSeconds(), TimeUnit.SECONDS);
        return r.get(0).offset();
    }

    /** A store registered by the test itself, as an integrator's bundle would. */
    public static final class InMemoryStore implements OffsetStore {
        private final Map<String, Map<PartitionKey, CommittedOffset>> groups = new HashMap<>();

        @Override
        public synchronized void commit(String groupId, Collection<CommittedOffset> offsets) {
            Map<PartitionKey, CommittedOffset> g = groups.computeIfAbsent(groupId, k -> new HashMap<>());
            offsets.forEach(o -> g.put(o.key(), o));
        }

        @Override
        public synchronized List<CommittedOffset> fetch(String groupId) {
            return new ArrayList<>(groups.getOrDefault(groupId, Map.of()).values());
        }

        @Override
        public synchronized Set<String> groups() {
            return Set.copyOf(groups.keySet());
        }

        @Override
        public synchronized void delete(String groupId, Collection<PartitionKey> partitions) {
            Map<PartitionKey, CommittedOffset> g = groups.get(groupId);
            if (g != null) {
                partitions.forEach(g::remove);
                if (g.isEmpty()) {
                    groups.remove(groupId);
                }
            }
        }

        @Override
        public synchronized void deleteGroup(String groupId) {
            groups.remove(groupId);
        }

        synchronized long offset(String group) {
            CommittedOffset o = groups.getOrDefault(group, Map.of()).get(new PartitionKey("t", 0));
            return o == null ? -1 : o.offset();
        }
    }
}
