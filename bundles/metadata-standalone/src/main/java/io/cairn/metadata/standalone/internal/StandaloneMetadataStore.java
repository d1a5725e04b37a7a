package io.cairn.metadata.standalone.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.metadata.MetadataException;
import io.cairn.broker.spi.metadata.MetadataNode;
import io.cairn.broker.spi.metadata.MetadataStore;
import io.cairn.broker.spi.metadata.MetadataWatcher;

/**
 * The metadata store of a single broker ({@code cairn.name=standalone}): the tree lives in memory
 * and its persistent nodes in {@code <first log dir>/cairn-metadata.tree} (or the file named by
 * {@code cairn.metadata.standalone.file}). The session is the component's lifetime: ephemeral nodes
 * vanish when it is deactivated, as they would when a ZooKeeper session ends.
 *
 * <p>A change of the broker configuration does not end the session ({@code @Modified}): the store
 * keeps serving, so that changing a key another component owns (an offset store, a group setting)
 * never makes the broker leave the cluster. A new file location, like Kafka's read-only
 * {@code log.dirs}, takes effect at the next start.
 *
 * <p>Thread-safe: every call is delegated to the synchronized {@link MetadataTree}.
 */
@Component(service = MetadataStore.class, configurationPid = "io.cairn.broker",
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = MetadataStore.NAME_PROPERTY + "=standalone")
public final class StandaloneMetadataStore implements MetadataStore {

    private static final Logger LOG = LoggerFactory.getLogger(StandaloneMetadataStore.class);

    private final ExecutorService events;
    private final MetadataTree tree;
    private final Path file;

    @Activate
    public StandaloneMetadataStore(Map<String, Object> config) throws IOException {
        this.file = fileFor(config);
        TreeFile treeFile = new TreeFile(file);
        Map<String, MetadataNode> persisted = treeFile.load();
        this.events = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-metadata-events");
            t.setDaemon(true);
            return t;
        });
        this.tree = new MetadataTree(persisted, treeFile::store, events);
        LOG.info("Standalone metadata store: {} nodes from {}", persisted.size(), file);
    }

    /** Where the tree is kept: explicit file, else the first log dir, else the working directory. */
    static Path fileFor(Map<String, Object> config) {
        Object explicit = config.get("cairn.metadata.standalone.file");
        if (explicit != null && !explicit.toString().isBlank()) {
            return Path.of(explicit.toString()).toAbsolutePath();
        }
        Object dirs = config.get("log.dirs");
        if (dirs == null || dirs.toString().isBlank()) {
            dirs = config.get("log.dir");
        }
        Path base = Path.of(String.valueOf(config.getOrDefault("cairn.working.dir", System.getProperty("user.dir"))));
        Path dir;
        if (dirs != null && !dirs.toString().isBlank()) {
            dir = base.resolve(dirs.toString().split(",")[0].trim());
        } else if (config.get("cairn.home") != null) {
            dir = Path.of(config.get("cairn.home").toString()).resolve("data");
        } else {
            dir = base.resolve("data");
        }
        return dir.resolve("cairn-metadata.tree").toAbsolutePath().normalize();
    }

    @Modified
    void modified(Map<String, Object> config) {
        Path wanted = fileFor(config);
        if (!wanted.equals(file)) {
            LOG.warn("Metadata file is now configured as {}; this store keeps using {} until the broker restarts",
                    wanted, file);
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        tree.dropEphemerals();
        events.shutdown();
        events.awaitTermination(5, TimeUnit.SECONDS);
        LOG.debug("Standalone metadata store closed ({})", file);
    }

    @Override
    public Optional<MetadataNode> get(String path) {
        return tree.get(path);
    }

    @Override
    public List<String> children(String path) throws MetadataException {
        return tree.children(path);
    }

    @Override
    public void create(String path, byte[] data, boolean ephemeral, boolean createParents) throws MetadataException {
        tree.create(path, data, ephemeral, createParents);
    }

    @Override
    public int setData(String path, byte[] data, int expectedVersion) throws MetadataException {
        return tree.setData(path, data, expectedVersion);
    }

    @Override
    public void delete(String path, int expectedVersion) throws MetadataException {
        tree.delete(path, expectedVersion);
    }

    @Override
    public AutoCloseable watch(String path, MetadataWatcher watcher) {
        return tree.watch(path, watcher);
    }
}
