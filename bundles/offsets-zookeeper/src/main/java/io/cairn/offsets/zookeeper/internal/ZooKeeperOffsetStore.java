package io.cairn.offsets.zookeeper.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
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

import org.apache.curator.RetryLoop;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
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
 * <p><b>Connection loss.</b> Every call goes through Curator's retry loop with the client's
 * policy, which gives up after {@code offsets.commit.timeout.ms}; while the client is not
 * connected a call waits at most that long for the connection and then fails with an
 * {@link IOException} that says so. The coordinator answers such a failure with
 * {@code COORDINATOR_NOT_AVAILABLE}, which clients retry. Curator reconnects (and replaces an
 * expired session) by itself; the store holds no ephemeral nodes and no watches, so nothing needs
 * restoring.
 *
 * <p><b>Reading.</b> Reads are batched in ZooKeeper's read-only {@code multi} (at most
 * {@value #READ_BATCH} nodes per request, so that a response stays well inside
 * {@code jute.maxbuffer} even with 4 KiB metadata strings). An offset node without valid details
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

    /**
     * Nodes read per read-only multi. Reads come in pairs, so a batch holds at most 32 details nodes;
     * with metadata of {@code offset.metadata.max.bytes} (4096) characters, each at most 6 bytes as
     * escaped JSON, that is under 800 KiB, inside the client's 1 MiB packet limit.
     */
    static final int READ_BATCH = 64;
    /** Fresh listings a commit tries before it gives up on a tree that keeps changing under it. */
    private static final int ATTEMPTS = 5;

    private final CuratorFramework client;
    private final OffsetTree tree;
    private final String describe;
    private final int maxTransactionBytes;
    private volatile boolean rootExists;

    /**
     * @param client a started client whose retry policy bounds every call
     * @param chroot the chroot of {@code zookeeper.connect} ({@code ""} or {@code /a/b})
     * @param describe the connect string, for messages
     * @param maxTransactionBytes the largest transaction sent, below the ensemble's {@code jute.maxbuffer}
     */
    ZooKeeperOffsetStore(CuratorFramework client, String chroot, String describe, int maxTransactionBytes) {
        this.client = client;
        this.tree = new OffsetTree(chroot);
        this.describe = describe;
        this.maxTransactionBytes = maxTransactionBytes;
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
        ensureRoot();
        for (int attempt = 1;; attempt++) {
            GroupListing listing = list(groupId, byTopic.keySet());
            Transaction ops = commitOps(groupId, byTopic, listing);
            int bytes = ops.bytes();
            if (bytes > maxTransactionBytes) {
                throw new BrokerException(BrokerError.INVALID_COMMIT_OFFSET_SIZE, "A commit of " + offsets.size()
                        + " offsets of group " + groupId + " needs a ZooKeeper transaction of about " + bytes
                        + " bytes, more than cairn.offsets.zookeeper.max.transaction.bytes (" + maxTransactionBytes + ")");
            }
            try {
                call("commit offsets of group " + groupId,
                        () -> client.getZookeeperClient().getZooKeeper().multi(ops.ops()));
                return;
            } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException changed) {
                // Listed and written in two steps: the tree changed in between (or a retried transaction
                // had been applied before the connection dropped). List again and rebuild.
                if (attempt == ATTEMPTS) {
                    throw new IOException("Commit of group " + groupId + " kept conflicting with other writers in "
                            + describe + ": " + changed.getMessage(), changed);
                }
                LOG.debug("Commit of group {} conflicted ({}); listing again", groupId, changed.getMessage());
            } catch (KeeperException e) {
                throw failure("commit offsets of group " + groupId, e);
            }
        }
    }

    private Transaction commitOps(String group, Map<String, List<CommittedOffset>> byTopic, GroupListing listing) {
        Transaction ops = new Transaction();
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
        List<String> topicNames = children(tree.dir(groupId, OffsetTree.OFFSETS)).orElse(List.of());
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
        List<OpResult> results = read("fetch offsets of group " + groupId, reads);
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
        List<String> names = children(tree.consumers()).orElse(List.of());
        List<Op> dirs = new ArrayList<>();
        for (String name : names) {
            dirs.add(Op.getChildren(tree.consumers() + "/" + name + "/" + OffsetTree.OFFSETS));
        }
        List<OpResult> topicLists = read("list consumer groups", dirs);
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
        List<OpResult> partitionLists = read("list consumer groups", topicReads);
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
        Transaction ops = new Transaction();
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
        write("delete offsets of group " + groupId, ops);
    }

    @Override
    public void deleteGroup(String groupId) throws IOException {
        List<String> offsetTopics = children(tree.dir(groupId, OffsetTree.OFFSETS)).orElse(List.of());
        List<String> detailTopics = children(tree.dir(groupId, OffsetTree.METADATA)).orElse(List.of());
        Set<String> topics = new TreeSet<>();
        offsetTopics.forEach(t -> topics.add(OffsetTree.decode(t)));
        detailTopics.forEach(t -> topics.add(OffsetTree.decode(t)));
        GroupListing listing = list(groupId, topics);
        if (!listing.groupExists()) {
            return;
        }
        Transaction ops = new Transaction();
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
        write("delete group " + groupId, ops);
    }

    /**
     * Removes the group's {@code offsets} and {@code offset_metadata} nodes once they are empty, and
     * the group's node unless it holds something else (a Kafka 0.8 consumer's {@code ids} or
     * {@code owners}), which this store leaves alone.
     */
    private void groupDirDeletions(String group, GroupListing listing, Transaction ops) {
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
        Optional<List<String>> children = children(tree.group(group));
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
        List<OpResult> results = read("list group " + group, reads);
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
        if (rootExists) {
            return;
        }
        try {
            call("create " + tree.consumers(), () -> {
                try {
                    client.create().creatingParentsIfNeeded().forPath(tree.consumers());
                } catch (KeeperException.NodeExistsException exists) {
                    // Created by a broker, an earlier run or a concurrent call.
                }
                return null;
            });
        } catch (KeeperException e) {
            throw failure("create " + tree.consumers(), e);
        }
        rootExists = true;
    }

    private Optional<List<String>> children(String path) throws IOException {
        try {
            return Optional.of(call("list " + path, () -> client.getZookeeperClient().getZooKeeper().getChildren(path, false)));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (KeeperException e) {
            throw failure("list " + path, e);
        }
    }

    /** Runs read-only multis of at most {@link #READ_BATCH} operations; results in the order of {@code ops}. */
    private List<OpResult> read(String what, List<Op> ops) throws IOException {
        List<OpResult> results = new ArrayList<>(ops.size());
        for (int from = 0; from < ops.size(); from += READ_BATCH) {
            List<Op> batch = ops.subList(from, Math.min(ops.size(), from + READ_BATCH));
            try {
                results.addAll(call(what, () -> client.getZookeeperClient().getZooKeeper().multi(batch)));
            } catch (KeeperException e) {
                throw failure(what, e);
            }
        }
        return results;
    }

    /**
     * Runs deletions as few transactions as fit {@link #maxTransactionBytes}, in order (children
     * before parents). Nodes already gone end the transaction they are in; it is listed again.
     */
    private void write(String what, Transaction all) throws IOException {
        List<Op> ops = all.ops();
        int from = 0;
        while (from < ops.size()) {
            int to = from;
            int bytes = 0;
            while (to < ops.size() && (to == from || bytes + all.bytes(to) <= maxTransactionBytes)) {
                bytes += all.bytes(to++);
            }
            List<Op> batch = ops.subList(from, to);
            try {
                call(what, () -> client.getZookeeperClient().getZooKeeper().multi(batch));
            } catch (KeeperException.NoNodeException | KeeperException.NotEmptyException changed) {
                // A retried transaction that had been applied, or a writer beside us: delete one by one.
                for (Op op : batch) {
                    try {
                        call(what, () -> client.getZookeeperClient().getZooKeeper().multi(List.of(op)));
                    } catch (KeeperException.NoNodeException | KeeperException.NotEmptyException skip) {
                        LOG.debug("{}: {} ({})", what, op.getPath(), skip.code());
                    } catch (KeeperException e) {
                        throw failure(what, e);
                    }
                }
            } catch (KeeperException e) {
                throw failure(what, e);
            }
            from = to;
        }
    }

    /** Write operations and an upper bound of the bytes each takes in a request. Not thread-safe. */
    private static final class Transaction {

        /**
         * Bytes an entry takes besides its path and data: a create is op header (9), two length
         * prefixes (8), one world:anyone ACL (27) and flags (4), 48 bytes; set and delete take less.
         */
        private static final int OVERHEAD = 64;

        private final List<Op> ops = new ArrayList<>();
        private final List<Integer> sizes = new ArrayList<>();

        void create(String path, byte[] data) {
            byte[] bytes = data == null ? new byte[0] : data;
            add(Op.create(path, bytes, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT), path, bytes.length);
        }

        void createOrSet(String path, byte[] data, boolean exists) {
            if (exists) {
                add(Op.setData(path, data, -1), path, data.length);
            } else {
                create(path, data);
            }
        }

        void delete(String path) {
            add(Op.delete(path, -1), path, 0);
        }

        private void add(Op op, String path, int dataBytes) {
            ops.add(op);
            sizes.add(path.getBytes(StandardCharsets.UTF_8).length + dataBytes + OVERHEAD);
        }

        List<Op> ops() {
            return ops;
        }

        int bytes(int i) {
            return sizes.get(i);
        }

        int bytes() {
            return sizes.stream().mapToInt(Integer::intValue).sum();
        }
    }

    @FunctionalInterface
    private interface ZooKeeperCall<T> {
        T call() throws Exception;
    }

    /**
     * Runs {@code op} in Curator's retry loop. ZooKeeper's own errors come back as
     * {@link KeeperException}s for the caller to judge; a connection that does not come back within
     * the retry policy's time becomes an {@link IOException} saying so.
     */
    private <T> T call(String what, ZooKeeperCall<T> op) throws IOException, KeeperException {
        try {
            return RetryLoop.callWithRetry(client.getZookeeperClient(), op::call);
        } catch (KeeperException.ConnectionLossException | KeeperException.SessionExpiredException
                | KeeperException.OperationTimeoutException e) {
            throw failure(what, e);
        } catch (KeeperException | IOException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while trying to " + what + " in ZooKeeper");
        } catch (Exception e) {
            throw new IOException("Cannot " + what + " in ZooKeeper at " + describe + ": " + e, e);
        }
    }

    private IOException failure(String what, KeeperException e) {
        String why = switch (e.code()) {
            case CONNECTIONLOSS, OPERATIONTIMEOUT -> "not connected to ZooKeeper (connection loss); retry later";
            case SESSIONEXPIRED -> "the ZooKeeper session expired; a new one is being established, retry later";
            default -> e.getMessage();
        };
        return new IOException("Cannot " + what + " in ZooKeeper at " + describe + ": " + why, e);
    }
}
