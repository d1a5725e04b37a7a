package io.cairn.offsets.zookeeper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.curator.framework.CuratorFramework;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cairn.broker.spi.offsets.CommittedOffset;

/**
 * While ZooKeeper is unreachable calls fail within {@code offsets.commit.timeout.ms} with an
 * {@link IOException} that says so, rather than hang; when it is back the same client works again
 * and nothing committed before is lost.
 */
class ConnectionLossTest {

    private static final long T = 1_700_000_000_000L;
    private static final int TIMEOUT_MS = 2000;

    @TempDir
    Path tmp;

    @Test
    void callsFailBoundedWhileZooKeeperIsDownAndWorkOnceItIsBack() throws Exception {
        try (TestZooKeeper zookeeper = new TestZooKeeper(tmp)) {
            ZooKeeperSettings settings = ZooKeeperSettings.of(Map.of("zookeeper.connect", zookeeper.hosts() + "/loss",
                    "offsets.commit.timeout.ms", Integer.toString(TIMEOUT_MS), "zookeeper.session.timeout.ms", "4000"))
                    .orElseThrow();
            CuratorFramework client = ZooKeeperOffsetStoreComponent.newClient(settings);
            client.start();
            try {
                ZooKeeperOffsetStore store = new ZooKeeperOffsetStore(client, settings.chroot(), settings.connect(),
                        settings.maxTransactionBytes());
                CommittedOffset before = new CommittedOffset("t", 0, 5, 1, "before", T);
                store.commit("g", List.of(before));

                zookeeper.stop();
                for (int attempt = 0; attempt < 2; attempt++) {
                    long start = System.nanoTime();
                    IOException e = assertThrows(IOException.class,
                            () -> store.commit("g", List.of(new CommittedOffset("t", 0, 6, 1, "during", T))));
                    long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                    assertTrue(e.getMessage().contains("not connected to ZooKeeper") || e.getMessage().contains("session"),
                            e.getMessage());
                    // Waits for the connection at most the timeout, retries until it has passed: about twice it at most.
                    assertTrue(tookMs < 3L * TIMEOUT_MS + 1000, "failed after " + tookMs + " ms");
                    assertThrows(IOException.class, () -> store.fetch("g"));
                }

                zookeeper.start();
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (true) {
                    try {
                        assertEquals(List.of(before), store.fetch("g"));
                        break;
                    } catch (IOException notYet) {
                        assertTrue(System.nanoTime() < deadline, "no reconnection within 30 s: " + notYet);
                    }
                }
                CommittedOffset after = new CommittedOffset("t", 0, 7, 1, "after", T);
                store.commit("g", List.of(after));
                assertEquals(List.of(after), store.fetch("g"));
            } finally {
                client.close();
            }
        }
    }
}
