package io.cairn.metadata.standalone.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.NavigableMap;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.function.Consumer;

import io.cairn.broker.spi.metadata.MetadataException;
import io.cairn.broker.spi.metadata.MetadataException.Code;
import io.cairn.broker.spi.metadata.MetadataNode;
import io.cairn.broker.spi.metadata.MetadataWatcher;
import io.cairn.broker.spi.metadata.MetadataWatcher.Event;

/**
 * An in-memory tree of versioned nodes with ZooKeeper's semantics: compare-and-set by version,
 * ephemeral nodes (dropped by {@link #dropEphemerals()} when the session ends), persistent watches.
 *
 * <p>After every change to a persistent node, the tree hands a snapshot of all persistent nodes to
 * the persister <em>before</em> the change is visible or watchers hear of it, so what was
 * acknowledged is on disk. Watch events are delivered on the given executor in change order.
 *
 * <p>Thread-safe: all state is guarded by {@code this}.
 */
final class MetadataTree {

    /** Longest accepted path; ZooKeeper's own limit is far higher, Kafka's paths stay below 300. */
    static final int MAX_PATH_LENGTH = 4096;
    /** Largest node value: ZooKeeper's default {@code jute.maxbuffer} is 1 MiB (minus headers). */
    static final int MAX_DATA_BYTES = 1_000_000;

    private record Node(byte[] data, int version, boolean ephemeral) {
    }

    private record Watch(String path, MetadataWatcher watcher) {
    }

    private final NavigableMap<String, Node> nodes = new TreeMap<>();
    private final List<Watch> watches = new CopyOnWriteArrayList<>();
    private final Consumer<Map<String, MetadataNode>> persister;
    private final ExecutorService events;

    MetadataTree(Map<String, MetadataNode> persisted, Consumer<Map<String, MetadataNode>> persister,
            ExecutorService events) {
        this.persister = persister;
        this.events = events;
        nodes.put("/", new Node(new byte[0], 0, false));
        persisted.forEach((path, n) -> nodes.put(path, new Node(n.data(), n.version(), false)));
    }

    synchronized Optional<MetadataNode> get(String path) {
        checkPath(path);
        Node n = nodes.get(path);
        return n == null ? Optional.empty() : Optional.of(toNode(path, n));
    }

    synchronized List<String> children(String path) throws MetadataException {
        checkPath(path);
        if (!nodes.containsKey(path)) {
            throw new MetadataException(Code.NO_NODE, path);
        }
        List<String> result = new ArrayList<>();
        String prefix = path.equals("/") ? "/" : path + "/";
        for (String p : nodes.tailMap(prefix, false).keySet()) {
            if (!p.startsWith(prefix)) {
                break;
            }
            if (p.indexOf('/', prefix.length()) < 0) {
                result.add(p.substring(prefix.length()));
            }
        }
        return result;
    }

    synchronized void create(String path, byte[] data, boolean ephemeral, boolean createParents)
            throws MetadataException {
        checkPath(path);
        checkData(data);
        if (path.equals("/") || nodes.containsKey(path)) {
            throw new MetadataException(Code.NODE_EXISTS, path);
        }
        String parent = parent(path);
        List<String> created = new ArrayList<>();
        if (!nodes.containsKey(parent)) {
            if (!createParents) {
                throw new MetadataException(Code.NO_NODE, parent);
            }
            for (String p = parent; !nodes.containsKey(p); p = parent(p)) {
                created.add(0, p);
            }
        }
        Node parentNode = nodes.get(created.isEmpty() ? parent : parent(created.get(0)));
        if (parentNode.ephemeral()) {
            throw new MetadataException(Code.NO_CHILDREN_FOR_EPHEMERALS, parent);
        }
        for (String p : created) {
            nodes.put(p, new Node(new byte[0], 0, false));
        }
        nodes.put(path, new Node(data.clone(), 0, ephemeral));
        if (!ephemeral || !created.isEmpty()) {
            persist(() -> {
                nodes.remove(path);
                created.forEach(nodes::remove);
            });
        }
        created.add(path);
        for (String p : created) {
            fire(p, Event.CREATED);
            fire(parent(p), Event.CHILDREN_CHANGED);
        }
    }

    synchronized int setData(String path, byte[] data, int expectedVersion) throws MetadataException {
        checkPath(path);
        checkData(data);
        Node old = nodes.get(path);
        if (old == null) {
            throw new MetadataException(Code.NO_NODE, path);
        }
        if (expectedVersion != -1 && expectedVersion != old.version()) {
            throw new MetadataException(Code.BAD_VERSION, path);
        }
        Node updated = new Node(data.clone(), old.version() + 1, old.ephemeral());
        nodes.put(path, updated);
        if (!old.ephemeral()) {
            persist(() -> nodes.put(path, old));
        }
        fire(path, Event.DATA_CHANGED);
        return updated.version();
    }

    synchronized void delete(String path, int expectedVersion) throws MetadataException {
        checkPath(path);
        Node old = nodes.get(path);
        if (old == null || path.equals("/")) {
            throw new MetadataException(Code.NO_NODE, path);
        }
        if (expectedVersion != -1 && expectedVersion != old.version()) {
            throw new MetadataException(Code.BAD_VERSION, path);
        }
        String next = nodes.higherKey(path);
        if (next != null && next.startsWith(path + "/")) {
            throw new MetadataException(Code.NOT_EMPTY, path);
        }
        nodes.remove(path);
        if (!old.ephemeral()) {
            persist(() -> nodes.put(path, old));
        }
        fire(path, Event.DELETED);
        fire(parent(path), Event.CHILDREN_CHANGED);
    }

    /** Ends the session: removes every ephemeral node, telling watchers. */
    synchronized void dropEphemerals() {
        List<String> gone = new ArrayList<>();
        nodes.entrySet().removeIf(e -> {
            if (e.getValue().ephemeral()) {
                gone.add(e.getKey());
                return true;
            }
            return false;
        });
        for (String p : gone) {
            fire(p, Event.DELETED);
            fire(parent(p), Event.CHILDREN_CHANGED);
        }
    }

    AutoCloseable watch(String path, MetadataWatcher watcher) {
        checkPath(path);
        Watch w = new Watch(path, watcher);
        watches.add(w);
        return () -> watches.remove(w);
    }

    private void persist(Runnable undo) throws MetadataException {
        Map<String, MetadataNode> snapshot = new TreeMap<>();
        nodes.forEach((p, n) -> {
            if (!n.ephemeral() && !p.equals("/")) {
                snapshot.put(p, toNode(p, n));
            }
        });
        try {
            persister.accept(snapshot);
        } catch (RuntimeException e) {
            undo.run();
            throw new MetadataException(Code.UNAVAILABLE, "/", e);
        }
    }

    private void fire(String path, Event event) {
        for (Watch w : watches) {
            if (w.path().equals(path)) {
                events.execute(() -> w.watcher().changed(path, event));
            }
        }
    }

    private static MetadataNode toNode(String path, Node n) {
        return new MetadataNode(path, n.data().clone(), n.version(), n.ephemeral());
    }

    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash == 0 ? "/" : path.substring(0, slash);
    }

    static void checkPath(String path) {
        if (path == null || path.isEmpty() || path.charAt(0) != '/' || path.length() > MAX_PATH_LENGTH
                || (path.length() > 1 && path.endsWith("/")) || path.contains("//")
                || Arrays.asList(path.split("/")).contains(".") || Arrays.asList(path.split("/")).contains("..")
                || path.chars().anyMatch(c -> c < 0x20 || c == 0x7f)) {
            throw new IllegalArgumentException("invalid metadata path: " + path);
        }
    }

    private static void checkData(byte[] data) {
        if (data.length > MAX_DATA_BYTES) {
            throw new IllegalArgumentException("node data of " + data.length + " bytes exceeds " + MAX_DATA_BYTES);
        }
    }
}
