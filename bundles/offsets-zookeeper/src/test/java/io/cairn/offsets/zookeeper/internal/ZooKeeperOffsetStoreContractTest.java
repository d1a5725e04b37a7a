package io.cairn.offsets.zookeeper.internal;

import java.nio.file.Path;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.io.TempDir;

import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.tck.OffsetStoreContractTest;

/**
 * The ZooKeeper store keeps the offset store contract against a real ZooKeeper server, across
 * restarts (a new client and session over the same tree) too. Each test gets a chroot of its own.
 */
class ZooKeeperOffsetStoreContractTest extends OffsetStoreContractTest {

    @TempDir
    static Path tmp;

    private static TestZooKeeper zookeeper;
    private static final AtomicInteger TESTS = new AtomicInteger();

    private final Map<OffsetStore, CuratorFramework> clients = new IdentityHashMap<>();
    private String connect;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = new TestZooKeeper(tmp);
    }

    @AfterAll
    static void stopZooKeeper() {
        zookeeper.close();
    }

    /** A store as the component builds it, on {@code connect}. */
    static ZooKeeperOffsetStore open(String connect, Map<OffsetStore, CuratorFramework> clients) {
        ZooKeeperSettings settings = ZooKeeperSettings.of(Map.of("zookeeper.connect", connect)).orElseThrow();
        CuratorFramework client = ZooKeeperOffsetStoreComponent.newClient(settings);
        client.start();
        ZooKeeperOffsetStore store = new ZooKeeperOffsetStore(client, settings.chroot(), settings.connect(),
                settings.maxTransactionBytes());
        clients.put(store, client);
        return store;
    }

    @Override
    protected OffsetStore createStore() {
        connect = zookeeper.hosts() + "/contract/test" + TESTS.incrementAndGet();
        return open(connect, clients);
    }

    @Override
    protected OffsetStore reopen(OffsetStore old) {
        close(old);
        return open(connect, clients);
    }

    @Override
    protected void close(OffsetStore store) {
        Optional.ofNullable(clients.remove(store)).ifPresent(CuratorFramework::close);
    }
}
