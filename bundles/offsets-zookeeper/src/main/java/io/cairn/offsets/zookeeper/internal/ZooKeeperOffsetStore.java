package io.cairn.offsets.zookeeper.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * Offsets in ZooKeeper ({@code cairn.name=zookeeper}), in Kafka 0.8's layout with a sibling tree
 * for the rest of each commit ({@link OffsetTree}).
 *
 * <p><b>Atomicity.</b> A commit is one ZooKeeper {@code multi} transaction: every offset node and
 * its details node, and any parents they need, are created or set together or not at all. To know
 * which nodes to create and which to set, the group's nodes for the committed topics are listed
 * first; should the tree change in between (someone else wrote there), the transaction fails as a
 * whole and is built again from a fresh listing. A transaction must fit ZooKeeper's request limit
 * ({@code jute.maxbuffer}, 1 MiB by default); a larger commit is refused with
 * {@code INVALID_COMMIT_OFFSET_SIZE}, as Kafka refuses a commit larger than its offsets topic takes.
 * Deletions are transactions too, split into several when they would not fit one.
 *
 * <p><b>Durability</b> is ZooKeeper's: a write is acknowledged once a quorum of the ensemble has
 * logged it (and each server fsyncs its transaction log before acknowledging, unless it runs with
 * {@code forceSync=no}).
 *
 * <p><b>Connection loss.</b> While ZooKeeper is unreachable every call fails after about twice
 * {@code offsets.commit.timeout.ms} at most, with an {@link IOException} that says so
 * ({@link BoundedZooKeeper}); the coordinator answers it with {@code COORDINATOR_NOT_AVAILABLE},
 * which clients retry. Curator reconnects (and replaces an expired session) by itself; the store
 * holds no ephemeral nodes and no watches, so nothing needs restoring.
 *
 * <p><b>Reading.</b> Nothing is cached: every call reads ZooKeeper, in batched read-only
 * {@code multi}s. An offset node without valid details
 * beside it, or with details written for another offset (a Kafka 0.8 consumer or an operator with
 * {@code zkCli} set it), is read as that offset with leader epoch -1, empty metadata and the node's
 * modification time as commit time. A node that does not hold a decimal offset is skipped with a
 * warning.
 *
 * <p>Thread-safe: calls for different groups touch disjoint subtrees; the coordinator never
 * overlaps calls for one group.
 */
final class ZooKeeperOffsetStore implements OffsetStore {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperOffsetStore.class);

    /** Fresh listings a commit tries before it gives up on a tree that keeps changing under it. */
    private static final int ATTEMPTS = 5;

    private final BoundedZooKeeper zk;
    private final OffsetTree tree;
    private volatile boolean rootExists;

    /**
     * @param client a started client whose retry policy bounds every call
     * @param chroot the chroot of {@code zookeeper.connect} ({@code ""} or {@code /a/b})
     * @param describe the connect string, for messages
     * @param maxTransactionBytes the largest transaction sent, below the ensemble's {@code jute.maxbuffer}
     */
    ZooKeeperOffsetStore(CuratorFramework client, String chroot, String describe, int maxTransactionBytes) {
        this.zk = new BoundedZooKeeper(client, describe, maxTransactionBytes);
        this.tree = new OffsetTree(chroot);
    }

    @Override
    public void commit(String groupId, Collection<CommittedOffset> offsets) throws IOException {
        if (offsets.isEmpty()) {
            return;
        }
        Map<String, List<CommittedOffset>> byTopic = new TreeMap<>();
        for (CommittedOffset o : offsets) {
            byTopic.computeIfAbsent(o.topic(), t -> new ArrayList<>()).add(o);
        }
        for (int attempt = 1;; attempt++) {
            ensureRoot();
            GroupListing listing = list(groupId, byTopic.keySet());
            WriteTransaction ops = commitOps(groupId, byTopic, listing);
            if (ops.bytes() > zk.maxTransactionBytes()) {
                throw new BrokerException(BrokerError.INVALID_COMMIT_OFFSET_SIZE, "A commit of " + offsets.size()
                        + " offsets of group " + groupId + " needs a ZooKeeper transaction of about " + ops.bytes()
                        + " bytes, more than cairn.offsets.zookeeper.max.transaction.bytes (" + zk.maxTransactionBytes()
                        + ")");
            }
            if (zk.transact("commit offsets of group " + groupId, ops)) {
                return;
            }
            rootExists = false; // in case someone removed /consumers

            if (attempt == ATTEMPTS) {
                throw new IOException("Commit of group " + groupId + " kept conflicting with other writers of its nodes");
            }
        }
    }

    private WriteTransaction commitOps(String group, Map<String, List<CommittedOffset>> byTopic, GroupListing listing) {
        WriteTransaction ops = new WriteTransaction();
        if (!listing.groupExists()) {
            ops.create(tree.group(group), null);
        }
        for (String kind : List.of(OffsetTree.OFFSETS, OffsetTree.METADATA)) {
            if (!listing.children().contains(kind)) {
                ops.create(tree.dir(group, kind), null);
            }
        }
        for (Map.Entry<String, List<CommittedOffset>> e : byTopic.entrySet()) {
            String topic = e.getKey();
            Set<Integer> offsetNodes = listing.partitions(OffsetTree.OFFSETS, topic);
            Set<Integer> detailNodes = listing.partitions(OffsetTree.METADATA, topic);
            if (offsetNodes == null) {
                ops.create(tree.topic(group, OffsetTree.OFFSETS, topic), null);
            }
            if (detailNodes == null) {
                ops.create(tree.topic(group, OffsetTree.METADATA, topic), null);
            }
            for (CommittedOffset o : e.getValue()) {
                byte[] offset = Long.toString(o.offset()).getBytes(StandardCharsets.UTF_8);
                String offsetPath = tree.partition(group, OffsetTree.OFFSETS, topic, o.partition());
                ops.createOrSet(offsetPath, offset, offsetNodes != null && offsetNodes.contains(o.partition()));
                byte[] details = OffsetDetails.of(o).toJson();
                String detailPath = tree.partition(group, OffsetTree.METADATA, topic, o.partition());
                ops.createOrSet(detailPath, details, detailNodes != null && detailNodes.contains(o.partition()));
            }
        }
        return ops;
    }

    @Override
    public List<CommittedOffset> fetch(String groupId) throws IOException {
        List<String> topicNames = zk.children(tree.dir(groupId, OffsetTree.OFFSETS)).orElse(List.of());
        if (topicNames.isEmpty()) {
            return List.of();
        }
        List<String> topics = topicNames.stream().map(OffsetTree::decode).toList();
        GroupListing listing = list(groupId, topics);
        List<PartitionKey> keys = new ArrayList<>();
        List<Op> reads = new ArrayList<>();
        for (String topic : topics) {
            Set<Integer> partitions = listing.partitions(OffsetTree.OFFSETS, topic);
            for (int p : partitions == null ? Set.<Integer>of() : partitions) {
                keys.add(new PartitionKey(topic, p));
                reads.add(Op.getData(tree.partition(groupId, OffsetTree.OFFSETS, topic, p)));
                reads.add(Op.getData(tree.partition(groupId, OffsetTree.METADATA, topic, p)));
            }
        }
        List<OpResult> results = zk.read("fetch offsets of group " + groupId, reads);
        List<CommittedOffset> offsets = new ArrayList<>(keys.size());
        for (int i = 0; i < keys.size(); i++) {
            PartitionKey key = keys.get(i);
            if (!(results.get(2 * i) instanceof OpResult.GetDataResult node)) {
                continue; // deleted between listing and reading
            }
            String text = node.getData() == null ? "" : new String(node.getData(), StandardCharsets.UTF_8).trim();
            long offset;
            try {
                offset = Long.parseLong(text);
            } catch (NumberFormatException e) {
                LOG.warn("Skipping {}: it holds '{}', not an offset", reads.get(2 * i).getPath(), text);
                continue;
            }
            Optional<OffsetDetails> details = results.get(2 * i + 1) instanceof OpResult.GetDataResult d
                    ? OffsetDetails.parse(d.getData()) : Optional.empty();
            if (details.isPresent() && details.get().offset() == offset) {
                OffsetDetails d = details.get();
                offsets.add(new CommittedOffset(key.topic(), key.partition(), offset, d.leaderEpoch(), d.metadata(),
                        d.commitTimestamp()));
            } else {
                Stat stat = node.getStat();
                offsets.add(new CommittedOffset(key.topic(), key.partition(), offset, -1, "", stat.getMtime()));
            }
        }
        return offsets;
    }

    @Override
    public Set<String> groups() throws IOException {
        List<String> names = zk.children(tree.consumers()).orElse(List.of());
        List<Op> dirs = new ArrayList<>();
        for (String name : names) {
            dirs.add(Op.getChildren(tree.consumers() + "/" + name + "/" + OffsetTree.OFFSETS));
        }
        List<OpResult> topicLists = zk.read("list consumer groups", dirs);
        // A group counts once it has one offset node; look at its topics until one has a partition.
        List<Op> topicReads = new ArrayList<>();
        List<String> owners = new ArrayList<>();
        for (int i = 0; i < names.size(); i++) {
            if (topicLists.get(i) instanceof OpResult.GetChildrenResult r) {
                for (String topic : r.getChildren()) {
                    topicReads.add(Op.getChildren(dirs.get(i).getPath() + "/" + topic));
                    owners.add(names.get(i));
                }
            }
        }
        List<OpResult> partitionLists = zk.read("list consumer groups", topicReads);
        Set<String> groups = new TreeSet<>();
        for (int i = 0; i < owners.size(); i++) {
            if (partitionLists.get(i) instanceof OpResult.GetChildrenResult r
                    && r.getChildren().stream().anyMatch(c -> OffsetTree.partitionOf(c).isPresent())) {
                groups.add(OffsetTree.decode(owners.get(i)));
            }
        }
        return groups;
    }

    @Override
    public void delete(String groupId, Collection<PartitionKey> partitions) throws IOException {
        Map<String, Set<Integer>> byTopic = new TreeMap<>();
        for (PartitionKey k : partitions) {
            byTopic.computeIfAbsent(k.topic(), t -> new TreeSet<>()).add(k.partition());
        }
        if (byTopic.isEmpty()) {
            return;
        }
        GroupListing listing = list(groupId, byTopic.keySet());
        if (!listing.groupExists()) {
            return;
        }
        WriteTransaction ops = new WriteTransaction();
        Set<String> emptied = new HashSet<>();
        for (Map.Entry<String, Set<Integer>> e : byTopic.entrySet()) {
            String topic = e.getKey();
            Set<Integer> offsetNodes = listing.partitions(OffsetTree.OFFSETS, topic);
            Set<Integer> detailNodes = listing.partitions(OffsetTree.METADATA, topic);
            Set<Integer> offsetsLeft = offsetNodes == null ? new TreeSet<>() : new TreeSet<>(offsetNodes);
            offsetsLeft.removeAll(e.getValue());
            boolean topicGone = offsetsLeft.isEmpty();
            for (String kind : List.of(OffsetTree.OFFSETS, OffsetTree.METADATA)) {
                Set<Integer> nodes = kind.equals(OffsetTree.OFFSETS) ? offsetNodes : detailNodes;
                if (nodes == null) {
                    continue;
                }
                for (int p : nodes) {
                    // With the topic's last offset gone, stale details of other partitions go too.
                    if (e.getValue().contains(p) || topicGone) {
                        ops.delete(tree.partition(groupId, kind, topic, p));
                    }
                }
                if (topicGone) {
                    ops.delete(tree.topic(groupId, kind, topic));
                }
            }
            if (topicGone) {
                emptied.add(OffsetTree.encode(topic));
            }
        }
        if (listing.allTopicsOf(OffsetTree.OFFSETS).stream().allMatch(emptied::contains)
                && listing.allTopicsOf(OffsetTree.METADATA).stream().allMatch(emptied::contains)) {
            groupDirDeletions(groupId, listing, ops);
        }
        zk.deleteInBatches("delete offsets of group " + groupId, ops);
    }

    @Override
    public void deleteGroup(String groupId) throws IOException {
        List<String> offsetTopics = zk.children(tree.dir(groupId, OffsetTree.OFFSETS)).orElse(List.of());
        List<String> detailTopics = zk.children(tree.dir(groupId, OffsetTree.METADATA)).orElse(List.of());
        Set<String> topics = new TreeSet<>();
        offsetTopics.forEach(t -> topics.add(OffsetTree.decode(t)));
        detailTopics.forEach(t -> topics.add(OffsetTree.decode(t)));
        GroupListing listing = list(groupId, topics);
        if (!listing.groupExists()) {
            return;
        }
        WriteTransaction ops = new WriteTransaction();
        for (String kind : List.of(OffsetTree.OFFSETS, OffsetTree.METADATA)) {
            for (String topic : topics) {
                Set<Integer> nodes = listing.partitions(kind, topic);
                if (nodes != null) {
                    for (int p : nodes) {
                        ops.delete(tree.partition(groupId, kind, topic, p));
                    }
                    ops.delete(tree.topic(groupId, kind, topic));
                }
            }
        }
        groupDirDeletions(groupId, listing, ops);
        zk.deleteInBatches("delete group " + groupId, ops);
    }

    /**
     * Removes the group's {@code offsets} and {@code offset_metadata} nodes once they are empty, and
     * the group's node unless it holds something else (a Kafka 0.8 consumer's {@code ids} or
     * {@code owners}), which this store leaves alone.
     */
    private void groupDirDeletions(String group, GroupListing listing, WriteTransaction ops) {
        for (String kind : List.of(OffsetTree.OFFSETS, OffsetTree.METADATA)) {
            if (listing.children().contains(kind)) {
                ops.delete(tree.dir(group, kind));
            }
        }
        if (Set.of(OffsetTree.OFFSETS, OffsetTree.METADATA).containsAll(listing.children())) {
            ops.delete(tree.group(group));
        }
    }

    /**
     * What a group holds for some topics: the group node's children, and per topic the partition
     * numbers under {@code offsets/<topic>} and {@code offset_metadata/<topic>} ({@code null} where
     * the topic node does not exist).
     */
    private record GroupListing(boolean groupExists, Set<String> children, Map<String, Set<Integer>> offsets,
            Map<String, Set<Integer>> details, Map<String, Set<String>> topicNodes) {

        Set<Integer> partitions(String kind, String topic) {
            return (kind.equals(OffsetTree.OFFSETS) ? offsets : details).get(topic);
        }

        /** Every topic node under {@code offsets} or {@code offset_metadata}, encoded names. */
        Set<String> allTopicsOf(String kind) {
            return topicNodes.getOrDefault(kind, Set.of());
        }
    }

    private GroupListing list(String group, Collection<String> topics) throws IOException {
        Optional<List<String>> children = zk.children(tree.group(group));
        if (children.isEmpty()) {
            return new GroupListing(false, Set.of(), Map.of(), Map.of(), Map.of());
        }
        Set<String> groupChildren = new HashSet<>(children.get());
        List<Op> reads = new ArrayList<>();
        List<String> kinds = new ArrayList<>();
        for (String kind : List.of(OffsetTree.OFFSETS, OffsetTree.METADATA)) {
            if (groupChildren.contains(kind)) {
                reads.add(Op.getChildren(tree.dir(group, kind)));
                kinds.add(kind);
                for (String topic : topics) {
                    reads.add(Op.getChildren(tree.topic(group, kind, topic)));
                    kinds.add(kind);
                }
            }
        }
        List<OpResult> results = zk.read("list group " + group, reads);
        Map<String, Set<Integer>> offsets = new LinkedHashMap<>();
        Map<String, Set<Integer>> details = new LinkedHashMap<>();
        Map<String, Set<String>> topicNodes = new LinkedHashMap<>();
        int i = 0;
        for (String kind : List.of(OffsetTree.OFFSETS, OffsetTree.METADATA)) {
            if (!groupChildren.contains(kind)) {
                continue;
            }
            if (results.get(i++) instanceof OpResult.GetChildrenResult dir) {
                topicNodes.put(kind, new HashSet<>(dir.getChildren()));
            }
            for (String topic : topics) {
                if (results.get(i++) instanceof OpResult.GetChildrenResult r) {
                    Set<Integer> partitions = new TreeSet<>();
                    r.getChildren().forEach(c -> OffsetTree.partitionOf(c).ifPresent(partitions::add));
                    (kind.equals(OffsetTree.OFFSETS) ? offsets : details).put(topic, partitions);
                }
            }
        }
        return new GroupListing(true, groupChildren, offsets, details, topicNodes);
    }

    /** Creates {@code <chroot>/consumers} (and the chroot) once, as Kafka brokers do at start. */
    private void ensureRoot() throws IOException {
        if (!rootExists) {
            zk.createPath(tree.consumers());
            rootExists = true;
        }
    }
}
