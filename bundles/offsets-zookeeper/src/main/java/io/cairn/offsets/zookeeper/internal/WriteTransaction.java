package io.cairn.offsets.zookeeper.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Op;
import org.apache.zookeeper.ZooDefs;

/**
 * Write operations for one ZooKeeper {@code multi}, with an upper bound of the bytes each takes in
 * the request, so that a transaction can be checked against {@code jute.maxbuffer} before it is
 * sent (the server drops the connection of a client that sends more).
 *
 * <p>Not thread-safe: built and sent by one call.
 */
final class WriteTransaction {

    /**
     * Bytes an entry takes besides its path and data: a create is op header (9), two length
     * prefixes (8), one world:anyone ACL (27) and flags (4), 48 bytes; set and delete take less.
     */
    private static final int OVERHEAD = 64;

    private final List<Op> ops = new ArrayList<>();
    private final List<Integer> sizes = new ArrayList<>();
    private int bytes;

    /** A persistent node, open to all (as Kafka 0.8 created them). */
    void create(String path, byte[] data) {
        byte[] content = data == null ? new byte[0] : data;
        add(Op.create(path, content, ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT), path, content.length);
    }

    /** Sets {@code path} if it exists (any version), else creates it. */
    void createOrSet(String path, byte[] data, boolean exists) {
        if (exists) {
            add(Op.setData(path, data, -1), path, data.length);
        } else {
            create(path, data);
        }
    }

    /** Deletes {@code path}, any version. */
    void delete(String path) {
        add(Op.delete(path, -1), path, 0);
    }

    private void add(Op op, String path, int dataBytes) {
        int size = path.getBytes(StandardCharsets.UTF_8).length + dataBytes + OVERHEAD;
        ops.add(op);
        sizes.add(size);
        bytes += size;
    }

    List<Op> ops() {
        return ops;
    }

    /** The bound for operation {@code i}. */
    int bytes(int i) {
        return sizes.get(i);
    }

    /** The bound for all of them. */
    int bytes() {
        return bytes;
    }
}
