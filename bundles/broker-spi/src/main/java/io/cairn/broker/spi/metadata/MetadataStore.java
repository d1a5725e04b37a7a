package io.cairn.broker.spi.metadata;

import java.util.List;
import java.util.Optional;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A tree of versioned nodes with compare-and-set writes, ephemeral nodes and watches: the subset of
 * ZooKeeper that Kafka's controller and brokers use.
 *
 * <p>Paths are absolute, {@code /}-separated, without a trailing slash; the root {@code /} always
 * exists. Node data are opaque bytes (the kernel writes Kafka's JSON documents).
 *
 * <p>Ephemeral nodes belong to this store's session, which lives as long as the service is
 * registered (standalone) or the backend session lasts (ZooKeeper); they vanish with it.
 *
 * <p>Thread-safety: every method may be called concurrently from any thread. Each write is atomic
 * and durable when it returns (the standalone store has fsynced its file; ZooKeeper has a quorum).
 */
@ConsumerType
public interface MetadataStore {

    /** The service property that names a store: {@code standalone}, {@code zookeeper}. */
    String NAME_PROPERTY = "cairn.name";

    /** Version value that matches any version in {@link #setData} and {@link #delete}. */
    int ANY_VERSION = -1;

    /** The node at {@code path}, or empty if there is none. */
    Optional<MetadataNode> get(String path) throws MetadataException;

    /** The names (not paths) of the children of {@code path}, sorted. */
    List<String> children(String path) throws MetadataException;

    /**
     * Creates a node.
     *
     * @param createParents create missing ancestors as empty persistent nodes first
     * @throws MetadataException {@code NODE_EXISTS} if the node exists, {@code NO_NODE} if the
     *     parent is missing and {@code createParents} is false
     */
    void create(String path, byte[] data, boolean ephemeral, boolean createParents) throws MetadataException;

    /**
     * Replaces a node's data if its version is {@code expectedVersion} (or {@link #ANY_VERSION}).
     *
     * @return the new version
     * @throws MetadataException {@code NO_NODE}, {@code BAD_VERSION}
     */
    int setData(String path, byte[] data, int expectedVersion) throws MetadataException;

    /**
     * Deletes a node that has no children, if its version is {@code expectedVersion}.
     *
     * @throws MetadataException {@code NO_NODE}, {@code BAD_VERSION}, {@code NOT_EMPTY}
     */
    void delete(String path, int expectedVersion) throws MetadataException;

    /**
     * Watches {@code path}: its creation, deletion, data changes and changes of its set of
     * children. The path need not exist yet.
     *
     * @return a handle whose {@code close()} ends the watch
     */
    AutoCloseable watch(String path, MetadataWatcher watcher);
}
