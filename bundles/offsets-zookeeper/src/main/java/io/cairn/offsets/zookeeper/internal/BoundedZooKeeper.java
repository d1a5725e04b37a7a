package io.cairn.offsets.zookeeper.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import org.apache.curator.RetryLoop;
import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.OpResult;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The ZooKeeper calls the offset store makes, each of which gives up in bounded time: every call
 * runs in Curator's retry loop under the client's retry policy, which stops after
 * {@code offsets.commit.timeout.ms} (and Curator waits at most that long for a lost connection
 * before an attempt fails), so a call ends after about twice that at most. Connection loss, an
 * expired session and an operation timeout become an {@link IOException} that says so; other
 * ZooKeeper errors are reported with ZooKeeper's message.
 *
 * <p>Reads are ZooKeeper's read-only {@code multi}, at most {@value #READ_BATCH} nodes per
 * request: reads come in pairs (offset and details), so a batch holds at most 32 details nodes,
 * and with metadata of {@code offset.metadata.max.bytes} (4096) characters, each at most 6 bytes
 * as escaped JSON, a response stays under 800 KiB, inside the client's 1 MiB packet limit.
 *
 * <p>Thread-safe, as the Curator client is.
 */
final class BoundedZooKeeper {

    private static final Logger LOG = LoggerFactory.getLogger(BoundedZooKeeper.class);

    /** Nodes read per read-only multi (see the class comment). */
    static final int READ_BATCH = 64;

    private final CuratorFramework client;
    private final String describe;
    private final int maxTransactionBytes;

    /**
     * @param client a started client whose retry policy bounds every call
     * @param describe the connect string, for messages
     * @param maxTransactionBytes the largest transaction sent, below the ensemble's {@code jute.maxbuffer}
     */
    BoundedZooKeeper(CuratorFramework client, String describe, int maxTransactionBytes) {
        this.client = client;
        this.describe = describe;
        this.maxTransactionBytes = maxTransactionBytes;
    }

    int maxTransactionBytes() {
        return maxTransactionBytes;
    }

    /** Creates {@code path} and missing parents as empty persistent nodes; one that exists is fine. */
    void createPath(String path) throws IOException {
        try {
            call("create " + path, () -> {
                ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
                for (int slash = path.indexOf('/', 1); ; slash = path.indexOf('/', slash + 1)) {
                    String node = slash < 0 ? path : path.substring(0, slash);
                    try {
                        zk.create(node, new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
                    } catch (KeeperException.NodeExistsException exists) {
                        // Created by a broker, an earlier run or a concurrent call.
                    }
                    if (slash < 0) {
                        return null;
                    }
                }
            });
        } catch (KeeperException e) {
            throw failure("create " + path, e);
        }
    }

    /** The children of {@code path}; empty if it does not exist. */
    Optional<List<String>> children(String path) throws IOException {
        try {
            return Optional.of(call("list " + path, () -> client.getZookeeperClient().getZooKeeper().getChildren(path, false)));
        } catch (KeeperException.NoNodeException e) {
            return Optional.empty();
        } catch (KeeperException e) {
            throw failure("list " + path, e);
        }
    }

    /**
     * Runs read-only operations ({@code getData}, {@code getChildren}) in batches; results in the
     * order of {@code ops}, an {@link OpResult.ErrorResult} for a node that does not exist.
     */
    List<OpResult> read(String what, List<Op> ops) throws IOException {
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
     * Runs {@code tx} as one transaction. Returns false, having changed nothing, if it conflicted
     * with the tree (a node to create exists, or one to set is gone): the caller lists again and
     * builds a new one. That also happens when a transaction was applied but its answer lost with
     * the connection, and the retry loop sent it again.
     */
    boolean transact(String what, WriteTransaction tx) throws IOException {
        try {
            call(what, () -> client.getZookeeperClient().getZooKeeper().multi(tx.ops()));
            return true;
        } catch (KeeperException.NodeExistsException | KeeperException.NoNodeException changed) {
            LOG.debug("{}: conflicting with the tree ({}); listing again", what, changed.getMessage());
            return false;
        } catch (KeeperException e) {
            throw failure(what, e);
        }
    }

    /**
     * Runs deletions in order (children before parents) as few transactions as fit
     * {@link #maxTransactionBytes}. A transaction that finds a node already gone (or a parent no
     * longer empty) is done again one deletion at a time, skipping those.
     */
    void deleteInBatches(String what, WriteTransaction deletions) throws IOException {
        List<Op> ops = deletions.ops();
        int from = 0;
        while (from < ops.size()) {
            int to = from;
            int bytes = 0;
            while (to < ops.size() && (to == from || bytes + deletions.bytes(to) <= maxTransactionBytes)) {
                bytes += deletions.bytes(to++);
            }
            List<Op> batch = ops.subList(from, to);
            try {
                call(what, () -> client.getZookeeperClient().getZooKeeper().multi(batch));
            } catch (KeeperException.NoNodeException | KeeperException.NotEmptyException changed) {
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

    @FunctionalInterface
    private interface ZooKeeperCall<T> {
        T call() throws Exception;
    }

    /**
     * Runs {@code op} in Curator's retry loop. ZooKeeper's own errors come back as
     * {@link KeeperException}s for the caller to judge; lost connections and sessions become an
     * {@link IOException} saying so.
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
