package io.cairn.offsets.zookeeper.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.util.Properties;

import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A real, single ZooKeeper server (ZooKeeper's own {@code ZooKeeperServerEmbedded}) on a free
 * loopback port, which can be stopped and started again on the same port and data.
 */
final class TestZooKeeper implements AutoCloseable {

    private final Path dir;
    private final int port;
    private ZooKeeperServerEmbedded server;

    TestZooKeeper(Path dir) throws Exception {
        this.dir = dir;
        this.port = freePort();
        start();
    }

    /** {@code 127.0.0.1:<port>}. */
    String hosts() {
        return "127.0.0.1:" + port;
    }

    void start() throws Exception {
        Properties config = new Properties();
        config.setProperty("clientPort", Integer.toString(port));
        config.setProperty("clientPortAddress", "127.0.0.1");
        config.setProperty("dataDir", dir.resolve("data").toString());
        // Sessions between 1 s and 10 s (2 and 20 ticks).
        config.setProperty("tickTime", "500");
        config.setProperty("admin.enableServer", "false");
        server = ZooKeeperServerEmbedded.builder().baseDir(dir).configuration(config).exitHandler(ExitHandler.LOG_ONLY)
                .build();
        server.start(30_000);
    }

    void stop() {
        if (server != null) {
            server.close();
            server = null;
        }
    }

    @Override
    public void close() {
        stop();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
