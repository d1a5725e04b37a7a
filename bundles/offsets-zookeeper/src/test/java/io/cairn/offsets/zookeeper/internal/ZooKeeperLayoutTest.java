package io.cairn.offsets.zookeeper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher;
import org.apache.zookeeper.ZKUtil;
import org.apache.zookeeper.ZooDefs;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.io.TempDir;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * What the store writes, read with ZooKeeper's own client as Kafka 0.8 tools and zkCli read it,
 * and what it makes of nodes others wrote there.
 */
class ZooKeeperLayoutTest {

    private static final long T = 1_700_000_000_000L;

    @TempDir
    static Path tmp;

    private static TestZooKeeper zookeeper;
    private final Map<OffsetStore, CuratorFramework> clients = new IdentityHashMap<>();
    private ZooKeeper zk;
    private String chroot;
    private ZooKeeperOffsetStore store;

    @BeforeAll
    static void startZooKeeper() throws Exception {
        zookeeper = new TestZooKeeper(tmp);
    }

    @AfterAll
    static void stopZooKeeper() {
        zookeeper.close();
    }

    @BeforeEach
    void open(TestInfo test) throws Exception {
        chroot = "/layout/" + test.getTestMethod().orElseThrow().getName();
        store = ZooKeeperOffsetStoreContractTest.open(zookeeper.hosts() + chroot, clients);
        CountDownLatch connected = new CountDownLatch(1);
        zk = new ZooKeeper(zookeeper.hosts(), 10_000, e -> {
            if (e.getState() == Watcher.Event.KeeperState.SyncConnected) {
                connected.countDown();
            }
        });
        assertTrue(connected.await(30, TimeUnit.SECONDS));
    }

    @AfterEach
    void close() throws Exception {
        clients.values().forEach(CuratorFramework::close);
        zk.close();
    }

    private String data(String path) throws Exception {
        return new String(zk.getData(chroot + path, false, null), StandardCharsets.UTF_8);
    }

    private void create(String path, String data) throws Exception {
        String full = chroot + path;
        StringBuilder parent = new StringBuilder();
        for (String part : full.substring(1, full.lastIndexOf('/')).split("/")) {
            parent.append('/').append(part);
            if (zk.exists(parent.toString(), false) == null) {
                zk.create(parent.toString(), new byte[0], ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
            }
        }
        zk.create(full, data.getBytes(StandardCharsets.UTF_8), ZooDefs.Ids.OPEN_ACL_UNSAFE, CreateMode.PERSISTENT);
    }

    @Test
    void theOffsetIsKafka08sNodeAndTheRestIsBesideIt() throws Exception {
        store.commit("g", List.of(new CommittedOffset("orders", 3, 42, 7, "up to \"41\"", T)));
        assertEquals("42", data("/consumers/g/offsets/orders/3"));
        assertEquals("{\"version\":1,\"offset\":42,\"leader_epoch\":7,\"metadata\":\"up to \\\"41\\\"\",\"commit_timestamp\":"
                + T + "}", data("/consumers/g/offset_metadata/orders/3"));
        assertEquals(List.of("offset_metadata", "offsets"), sorted(zk.getChildren(chroot + "/consumers/g", false)));
        assertNull(zk.exists("/consumers", false), "nothing outside the chroot");
    }

    @Test
    void offsetsWrittenByKafka08AreRead() throws Exception {
        create("/consumers/old/offsets/clicks/0", "17");
        create("/consumers/old/offsets/clicks/1", "5");
        create("/consumers/old/ids/old_host-1", "{\"version\":1}");
        Stat stat = zk.exists(chroot + "/consumers/old/offsets/clicks/0", false);
        assertEquals(Set.of("old"), store.groups());
        List<CommittedOffset> fetched = new ArrayList<>(store.fetch("old"));
        fetched.sort((a, b) -> Integer.compare(a.partition(), b.partition()));
        assertEquals(new CommittedOffset("clicks", 0, 17, -1, "", stat.getMtime()), fetched.get(0));
        assertEquals(5, fetched.get(1).offset());

        // Deleting the group's offsets leaves what a 0.8 consumer registered beside them.
        store.deleteGroup("old");
        assertEquals(List.of("ids"), zk.getChildren(chroot + "/consumers/old", false));
        assertTrue(store.groups().isEmpty());
    }

    @Test
    void anOffsetResetWithZkCliWinsOverTheDetails() throws Exception {
        store.commit("g", List.of(new CommittedOffset("t", 0, 100, 4, "meta", T)));
        zk.setData(chroot + "/consumers/g/offsets/t/0", "20".getBytes(StandardCharsets.UTF_8), -1);
        Stat stat = zk.exists(chroot + "/consumers/g/offsets/t/0", false);
        assertEquals(List.of(new CommittedOffset("t", 0, 20, -1, "", stat.getMtime())), store.fetch("g"));
        // A commit afterwards writes both nodes again.
        store.commit("g", List.of(new CommittedOffset("t", 0, 21, 4, "again", T)));
        assertEquals(List.of(new CommittedOffset("t", 0, 21, 4, "again", T)), store.fetch("g"));
    }

    @Test
    void aNodeThatHoldsNoOffsetIsSkipped() throws Exception {
        store.commit("g", List.of(new CommittedOffset("t", 0, 1, 0, "", T), new CommittedOffset("t", 1, 2, 0, "", T)));
        zk.setData(chroot + "/consumers/g/offsets/t/1", "not a number".getBytes(StandardCharsets.UTF_8), -1);
        create("/consumers/g/offsets/t/not-a-partition", "3");
        assertEquals(List.of(new CommittedOffset("t", 0, 1, 0, "", T)), store.fetch("g"));
    }

    @Test
    void anyGroupIdAndTopicNameIsStored() throws Exception {
        List<String> names = List.of("a/b", "", ".", "..", "50%", "tab\there", "emoji \uD83D\uDE00", "ünï");
        for (String name : names) {
            store.commit(name, List.of(new CommittedOffset(name.isEmpty() ? "t" : name, 0, 9, 1, name, T)));
        }
        assertEquals(Set.copyOf(names), store.groups());
        for (String name : names) {
            assertEquals(List.of(new CommittedOffset(name.isEmpty() ? "t" : name, 0, 9, 1, name, T)), store.fetch(name));
        }
        assertNotNull(zk.exists(chroot + "/consumers/a%2Fb/offsets/a%2Fb/0", false));
        assertNotNull(zk.exists(chroot + "/consumers/%/offsets/t/0", false));
    }

    @Test
    void deletingTheLastOffsetsRemovesTheGroupsNodes() throws Exception {
        store.commit("g", List.of(new CommittedOffset("t", 0, 1, 0, "", T), new CommittedOffset("u", 0, 2, 0, "", T)));
        store.delete("g", List.of(new PartitionKey("t", 0)));
        assertEquals(List.of("u"), zk.getChildren(chroot + "/consumers/g/offsets", false));
        assertEquals(List.of("u"), zk.getChildren(chroot + "/consumers/g/offset_metadata", false));
        store.delete("g", List.of(new PartitionKey("u", 0)));
        assertNull(zk.exists(chroot + "/consumers/g", false));
        assertNotNull(zk.exists(chroot + "/consumers", false));
    }

    @Test
    void commitsGoOnAfterAnOperatorRemovedTheWholeTree() throws Exception {
        store.commit("g", List.of(new CommittedOffset("t", 0, 1, 0, "", T)));
        ZKUtil.deleteRecursive(zk, chroot); // zkCli deleteall /<chroot>
        assertTrue(store.groups().isEmpty());
        store.commit("g", List.of(new CommittedOffset("t", 0, 2, 0, "", T)));
        assertEquals("2", data("/consumers/g/offsets/t/0"));
    }

    @Test
    void aCommitTooLargeForOneTransactionIsRefusedWhole() throws Exception {
        List<CommittedOffset> big = new ArrayList<>();
        String metadata = "m".repeat(4000);
        for (int p = 0; p < 300; p++) {
            big.add(new CommittedOffset("wide", p, p, 0, metadata, T));
        }
        BrokerException e = assertThrows(BrokerException.class, () -> store.commit("g", big));
        assertEquals(BrokerError.INVALID_COMMIT_OFFSET_SIZE, e.error());
        assertTrue(store.fetch("g").isEmpty());
        assertFalse(store.groups().contains("g"));
        // Just under the limit goes through as one transaction.
        store.commit("g", big.subList(0, 200));
        assertEquals(200, store.fetch("g").size());
    }

    private static List<String> sorted(List<String> names) {
        List<String> copy = new ArrayList<>(names);
        copy.sort(null);
        return copy;
    }
}
