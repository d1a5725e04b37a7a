package io.cairn.group.coordinator.internal;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicBoolean;

import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.PartitionKey;

/** An offset store in memory for the coordinator's tests; can be made to fail. */
final class MemoryOffsetStore implements OffsetStore {

    private final Map<String, Map<PartitionKey, CommittedOffset>> groups = new HashMap<>();
    final AtomicBoolean failing = new AtomicBoolean();

    private void check() throws IOException {
        if (failing.get()) {
            throw new IOException("disk on fire");
        }
    }

    @Override
    public synchronized void commit(String groupId, Collection<CommittedOffset> offsets) throws IOException {
        check();
        Map<PartitionKey, CommittedOffset> g = groups.computeIfAbsent(groupId, k -> new HashMap<>());
        offsets.forEach(o -> g.put(o.key(), o));
    }

    @Override
    public synchronized List<CommittedOffset> fetch(String groupId) throws IOException {
        check();
        return new ArrayList<>(groups.getOrDefault(groupId, Map.of()).values());
    }

    @Override
    public synchronized Set<String> groups() throws IOException {
        check();
        return new TreeSet<>(groups.keySet());
    }

    @Override
    public synchronized void delete(String groupId, Collection<PartitionKey> partitions) throws IOException {
        check();
        Map<PartitionKey, CommittedOffset> g = groups.get(groupId);
        if (g != null) {
            partitions.forEach(g::remove);
            if (g.isEmpty()) {
                groups.remove(groupId);
            }
        }
    }

    @Override
    public synchronized void deleteGroup(String groupId) throws IOException {
        check();
        groups.remove(groupId);
    }

    synchronized long offset(String groupId, String topic, int partition) {
        CommittedOffset o = groups.getOrDefault(groupId, Map.of()).get(new PartitionKey(topic, partition));
        return o == null ? -1 : o.offset();
    }
}
