package io.cairn.itests.rest;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;

/**
 * The built distribution run as {@code bin/cairn run} with the REST proxy feature booted
 * ({@code -Dcairn.boot.features=cairn-runtime,cairn,cairn-rest-proxy} in {@code CAIRN_OPTS}), its
 * Kafka and HTTP listeners on free loopback ports. Output goes to a file for failure messages.
 */
final class RestBroker implements AutoCloseable {

    private final Process process;
    private final Path output;
    final int kafkaPort;
    final int httpPort;

    private RestBroker(Process process, Path output, int kafkaPort, int httpPort) {
        this.process = process;
        this.output = output;
        this.kafkaPort = kafkaPort;
        this.httpPort = httpPort;
    }

    static RestBroker start(Path workDir) throws IOException {
        return start(workDir, new String[0]);
    }

    /** As {@link #start(Path)}, with more {@code --override key=value} arguments. */
    static RestBroker start(Path workDir, String... overrides) throws IOException {
        Path dist = Path.of(System.getProperty("cairn.dist", "../distribution/target/cairn")).toAbsolutePath().normalize();
        if (!Files.isExecutable(dist.resolve("bin/cairn"))) {
            throw new IllegalStateException("no built distribution at " + dist + " (run mvn verify from the root)");
        }
        int kafkaPort = freePort();
        int httpPort = freePort();
        Files.createDirectories(workDir);
        List<String> cmd = new java.util.ArrayList<>(List.of(dist.resolve("bin/cairn").toString(), "run",
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + kafkaPort,
                "--override", "log.dirs=" + workDir.resolve("data"),
                "--override", "cairn.http.listeners=http://127.0.0.1:" + httpPort));
        for (String o : overrides) {
            cmd.add("--override");
            cmd.add(o);
        }
        Path out = Files.createTempFile(workDir, "broker-", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("CAIRN_HEAP_OPTS", "-Xms128m -Xmx512m");
        pb.environment().put("CAIRN_LOG_DIR", workDir.resolve("logs").toString());
        pb.environment().put("CAIRN_OPTS", "-Dcairn.boot.features=cairn-runtime,cairn,cairn-rest-proxy");
        return new RestBroker(pb.start(), out, kafkaPort, httpPort);
    }

    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A new Admin with the client's defaults on the Kafka listener; the caller closes it. */
    Admin admin() {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap()));
    }

    String bootstrap() {
        return "127.0.0.1:" + kafkaPort;
    }

    /** The distribution this broker runs from. */
    static Path distribution() {
        return Path.of(System.getProperty("cairn.dist", "../distribution/target/cairn")).toAbsolutePath().normalize();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    String http() {
        return "http://127.0.0.1:" + httpPort;
    }

    /** Waits until both listeners accept connections. */
    void awaitListening(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        for (int port : new int[] {kafkaPort, httpPort}) {
            while (true) {
                if (!process.isAlive()) {
                    throw new AssertionError("broker exited with " + process.exitValue() + ":\n" + output());
                }
                if (System.nanoTime() > deadline) {
                    throw new AssertionError("broker not listening on " + port + " after " + timeout + ":\n" + output());
                }
                try (Socket s = new Socket()) {
                    s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                    break;
                } catch (IOException notYet) {
                    TimeUnit.MILLISECONDS.sleep(50);
                }
            }
        }
    }

    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    @Override
    public void close() throws InterruptedException {
        process.destroy();
        if (!process.waitFor(30, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
