package io.cairn.itests;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Apache ZooKeeper 3.9.5 run as an operator runs it: the server ({@code ZooKeeperServerMain} with a
 * {@code zoo.cfg}) in a child JVM on a free loopback port, and its CLI ({@code ZooKeeperMain}, what
 * {@code zkCli.sh} runs). The jars come from {@code itests/target/zookeeper} (system property
 * {@code cairn.zookeeper.lib}). The server can be stopped and started again on the same port and data.
 */
final class ZooKeeperProcess implements AutoCloseable {

    private final Path dir;
    private final int port;
    private Process server;
    private Path output;

    private ZooKeeperProcess(Path dir, int port) {
        this.dir = dir;
        this.port = port;
    }

    /** Starts a server with its data in {@code dir} and waits until it takes connections. */
    static ZooKeeperProcess start(Path dir) throws IOException, InterruptedException {
        ZooKeeperProcess zk = new ZooKeeperProcess(dir, BrokerProcess.freePort());
        zk.start();
        return zk;
    }

    static Path lib() {
        Path lib = Path.of(System.getProperty("cairn.zookeeper.lib", "target/zookeeper")).toAbsolutePath();
        if (!Files.isDirectory(lib)) {
            throw new IllegalStateException("no ZooKeeper jars in " + lib + " (mvn verify copies them)");
        }
        return lib;
    }

    /** {@code 127.0.0.1:<port>}. */
    String hosts() {
        return "127.0.0.1:" + port;
    }

    void start() throws IOException, InterruptedException {
        Path cfg = dir.resolve("zoo.cfg");
        Files.createDirectories(dir.resolve("data"));
        Files.writeString(cfg, String.join("\n",
                "tickTime=500",
                "dataDir=" + dir.resolve("data"),
                "clientPort=" + port,
                "clientPortAddress=127.0.0.1",
                "admin.enableServer=false",
                ""));
        output = Files.createTempFile(dir, "zookeeper-", ".out");
        server = new ProcessBuilder(java(), "-Xmx128m", "-cp", lib() + "/*",
                "org.apache.zookeeper.server.ZooKeeperServerMain", cfg.toString())
                .redirectErrorStream(true).redirectOutput(output.toFile()).start();
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (true) {
            if (!server.isAlive()) {
                throw new AssertionError("ZooKeeper exited with " + server.exitValue() + ":\n" + output());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return;
            } catch (IOException notYet) {
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("ZooKeeper not listening on " + port + " after 30 s:\n" + output());
                }
                TimeUnit.MILLISECONDS.sleep(50);
            }
        }
    }

    /** Stops the server (SIGTERM) and waits for it to exit. */
    void stop() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroy();
            if (!server.waitFor(20, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    String output() {
        try {
            return output == null ? "" : Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /**
     * Runs ZooKeeper's CLI in a child JVM, {@code zkCli.sh -server <server> <command...>}, and
     * returns the lines it printed on standard output for the command: without its own
     * "Connecting to …" line and the connection event it prints ({@code WATCHER::},
     * {@code WatchedEvent state:SyncConnected …}, blank lines around it), which its event thread may
     * print before or after the result. Its log goes to standard error.
     */
    List<String> cli(String server, String... command) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>(List.of(java(), "-Xmx64m", "-cp", lib() + "/*",
                "org.apache.zookeeper.ZooKeeperMain", "-server", server));
        cmd.addAll(List.of(command));
        Path out = Files.createTempFile(dir, "zkcli-", ".out");
        Path err = Files.createTempFile(dir, "zkcli-", ".err");
        Process cli = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!cli.waitFor(60, TimeUnit.SECONDS)) {
            cli.destroyForcibly();
            throw new AssertionError("zkCli did not finish in 60 s: " + Files.readString(out) + Files.readString(err));
        }
        if (cli.exitValue() != 0) {
            throw new AssertionError("zkCli " + cmd + " exited with " + cli.exitValue() + ":\n" + Files.readString(out)
                    + Files.readString(err));
        }
        return Files.readAllLines(out, StandardCharsets.UTF_8).stream()
                .filter(l -> !l.isBlank() && !l.startsWith("Connecting to ") && !l.equals("WATCHER::")
                        && !l.startsWith("WatchedEvent state:"))
                .toList();
    }

    private static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    @Override
    public void close() throws InterruptedException {
        if (server != null && server.isAlive()) {
            server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
        }
    }
}
