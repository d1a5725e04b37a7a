package io.cairn.group.coordinator.internal;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Constants;

import io.cairn.broker.spi.groups.GroupCoordinator;
import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.groups.assignor.PartitionAssignor;
import io.cairn.broker.spi.offsets.PartitionKey;
import io.cairn.group.assignors.internal.RangeAssignor;
import io.cairn.group.assignors.internal.UniformAssignor;

/**
 * The real group coordinator component, built as SCR would build it (constructor, bound offset
 * store, deactivate) but without a framework, over an in-memory offset store named
 * {@code memory}. In the coordinator's package because its bind and deactivate methods are
 * package-private, as SCR allows.
 */
public final class StandaloneGroupCoordinator implements AutoCloseable {

    private final GroupCoordinatorComponent component;

    /**
     * @param brokerId the broker FindCoordinator names
     * @param initialRebalanceDelayMs {@code group.initial.rebalance.delay.ms}
     */
    public StandaloneGroupCoordinator(int brokerId, int initialRebalanceDelayMs) {
        this(Map.of("broker.id", String.valueOf(brokerId),
                "group.initial.rebalance.delay.ms", String.valueOf(initialRebalanceDelayMs),
                "cairn.offsets.store", "memory"));
    }

    private StandaloneGroupCoordinator(Map<String, Object> config) {
        component = new GroupCoordinatorComponent(config);
        component.bindOffsetStore(new MemoryStore(), Map.of(Constants.SERVICE_ID, 1L, OffsetStore.NAME_PROPERTY,
                "memory"));
    }

    /**
     * Also serves consumer (KIP-848) groups: the real {@code uniform} and {@code range} assignors
     * and {@code broker}'s cluster view are bound as SCR binds them. Consumer group members are
     * told to heartbeat every 500 ms (Kafka's default is 5 s), so that tests reconcile quickly.
     */
    public StandaloneGroupCoordinator(int brokerId, int initialRebalanceDelayMs, LocalBroker broker) {
        this(Map.of("broker.id", String.valueOf(brokerId),
                "group.initial.rebalance.delay.ms", String.valueOf(initialRebalanceDelayMs),
                "cairn.offsets.store", "memory", "group.consumer.heartbeat.interval.ms", "500"));
        component.bindAssignor(new UniformAssignor(), Map.of(Constants.SERVICE_ID, 2L, PartitionAssignor.NAME_PROPERTY,
                "uniform"));
        component.bindAssignor(new RangeAssignor(), Map.of(Constants.SERVICE_ID, 3L, PartitionAssignor.NAME_PROPERTY,
                "range"));
        component.bindLocalBroker(broker);
    }

    public GroupCoordinator coordinator() {
        return component;
    }

    @Override
    public void close() throws InterruptedException {
        component.deactivate();
    }

    /** Offsets in a map: enough for tests that do not restart the broker. Thread-safe. */
    private static final class MemoryStore implements OffsetStore {

        private final Map<String, Map<PartitionKey, CommittedOffset>> groups = new ConcurrentHashMap<>();

        @Override
        public void commit(String groupId, Collection<CommittedOffset> offsets) {
            Map<PartitionKey, CommittedOffset> group = groups.computeIfAbsent(groupId, g -> new ConcurrentHashMap<>());
            offsets.forEach(o -> group.put(o.key(), o));
        }

        @Override
        public List<CommittedOffset> fetch(String groupId) {
            return new ArrayList<>(groups.getOrDefault(groupId, Map.of()).values());
        }

        @Override
        public Set<String> groups() {
            return Set.copyOf(groups.keySet());
        }

        @Override
        public void delete(String groupId, Collection<PartitionKey> partitions) {
            Map<PartitionKey, CommittedOffset> group = groups.get(groupId);
            if (group != null) {
                partitions.forEach(group::remove);
            }
        }

        @Override
        public void deleteGroup(String groupId) {
            groups.remove(groupId);
        }
    }
}
