package io.cairn.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * One Cairn broker run from the built distribution ({@code bin/cairn run}) as a child process, the
 * way an operator runs it. Output goes to a file in the test's directory so a failure can show it.
 */
final class BrokerProcess implements AutoCloseable {

    private final Process process;
    private final Path output;
    private final int port;
    private final long launchedNanos = System.nanoTime();

    private BrokerProcess(Process process, Path output, int port) {
        this.process = process;
        this.output = output;
        this.port = port;
    }

    /** The unpacked distribution built by the reactor ({@code distribution/target/cairn}). */
    static Path distribution() {
        Path dist = Path.of(System.getProperty("cairn.dist", "../distribution/target/cairn")).toAbsolutePath().normalize();
        if (!Files.isExecutable(dist.resolve("bin/cairn"))) {
            throw new IllegalStateException("no built distribution at " + dist + " (run mvn verify from the root)");
        }
        return dist;
    }

    /** A TCP port that was free a moment ago on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Starts {@code bin/cairn run --override listeners=PLAINTEXT://127.0.0.1:<port> --override log.dirs=<dir> ...}. */
    static BrokerProcess start(Path workDir, Path logDir, int port, String... extraOverrides) throws IOException {
        List<String> cmd = new ArrayList<>(List.of(distribution().resolve("bin/cairn").toString(), "run",
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + port,
                "--override", "log.dirs=" + logDir));
        for (String o : extraOverrides) {
            cmd.add("--override");
            cmd.add(o);
        }
        Files.createDirectories(workDir);
        Path out = Files.createTempFile(workDir, "broker-", ".out");
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(workDir.toFile()).redirectErrorStream(true)
                .redirectOutput(out.toFile());
        pb.environment().put("CAIRN_HEAP_OPTS", "-Xms128m -Xmx512m");
        pb.environment().put("CAIRN_LOG_DIR", workDir.resolve("logs").toString());
        return new BrokerProcess(pb.start(), out, port);
    }

    int port() {
        return port;
    }

    String bootstrap() {
        return "127.0.0.1:" + port;
    }

    Process process() {
        return process;
    }

    /**
     * Waits until the listener accepts connections; returns the time from launch to that moment.
     *
     * @throws AssertionError with the broker's output if it did not within the timeout
     */
    Duration awaitListening(Duration timeout) throws InterruptedException {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new AssertionError("broker exited with " + process.exitValue() + ":\n" + output());
            }
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress("127.0.0.1", port), 200);
                return Duration.ofNanos(System.nanoTime() - launchedNanos);
            } catch (IOException notYet) {
                TimeUnit.MILLISECONDS.sleep(25);
            }
        }
        throw new AssertionError("broker not listening on " + port + " after " + timeout + ":\n" + output());
    }

    /** Everything the broker printed so far. */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** Sends SIGTERM and waits for the exit status. */
    int terminate(Duration timeout) throws InterruptedException {
        process.destroy();
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            throw new AssertionError("broker did not stop within " + timeout + " of SIGTERM:\n" + output());
        }
        return process.exitValue();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
