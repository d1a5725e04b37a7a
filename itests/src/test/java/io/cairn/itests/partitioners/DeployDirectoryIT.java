package io.cairn.itests.partitioners;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The integrator's path on the built distribution, run as a process: the example header
 * partitioner jar dropped into {@code deploy/} of a running broker is offered to the kernel, a
 * {@code .cfg} dropped beside it reconfigures it, and deleting the jar removes it — all without a
 * restart, and the broker then stops cleanly. The distribution is copied to a temporary directory
 * first, because {@code deploy/} belongs to the installation.
 */
public class DeployDirectoryIT {

    private static final Duration WAIT = Duration.ofSeconds(60);
    private static final String ARRIVED = "Plugin arrived: Partitioner 'header' from io.cairn.partitioner.example.header";
    private static final String LEFT = "Plugin left: Partitioner 'header' from io.cairn.partitioner.example.header";

    @Rule
    public TemporaryFolder tmp = new TemporaryFolder();

    private Process broker;
    private Path output;

    @After
    public void killBroker() throws InterruptedException {
        if (broker != null && broker.isAlive()) {
            broker.destroyForcibly();
            broker.waitFor(10, TimeUnit.SECONDS);
        }
    }

    @Test
    public void aPartitionerDroppedIntoDeployIsOfferedReconfiguredAndRemovedWithoutARestart() throws Exception {
        Path home = copyOfDistribution(tmp.newFolder("cairn").toPath());
        Path deploy = Files.createDirectories(home.resolve("deploy"));
        start(home);
        await("the broker has started with its built-in partitioners",
                () -> count("Plugin arrived: Partitioner 'keyhash' from io.cairn.partitioner.keyhash") == 1);
        assertEquals("the example is not in the distribution", 0, count(ARRIVED));

        Path jar = deploy.resolve("partitioner-example-header.jar");
        Files.copy(exampleBundle(), jar);
        await("the dropped-in partitioner is offered", () -> count(ARRIVED) == 1);

        Files.writeString(deploy.resolve("io.cairn.partitioner.example.header.cfg"), "header.name=tenant\n");
        await("its new configuration re-creates it", () -> count(LEFT) == 1 && count(ARRIVED) == 2);

        Files.delete(jar);
        await("deleting the jar removes it", () -> count(LEFT) == 2);
        assertTrue("still the same broker process", broker.isAlive());

        broker.destroy();
        assertTrue("the broker stops on SIGTERM:\n" + output(), broker.waitFor(30, TimeUnit.SECONDS));
        assertEquals("exit status after SIGTERM:\n" + output(), 0, broker.exitValue());
    }

    /** The distribution built by the reactor, copied so that this test owns its deploy/ directory. */
    private static Path copyOfDistribution(Path target) throws IOException {
        Path dist = Path.of(System.getProperty("cairn.dist", "../distribution/target/cairn")).toAbsolutePath().normalize();
        if (!Files.isExecutable(dist.resolve("bin/cairn"))) {
            throw new IllegalStateException("no built distribution at " + dist + " (run mvn verify from the root)");
        }
        try (Stream<Path> files = Files.walk(dist)) {
            for (Path from : files.collect(Collectors.toList())) {
                Path to = target.resolve(dist.relativize(from).toString());
                if (Files.isDirectory(from)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(from, to, StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        return target;
    }

    /** The example bundle as the reactor built it (it comes before itests in the module list). */
    private static Path exampleBundle() throws IOException {
        Path target = Path.of("../bundles/partitioner-example-header/target").toAbsolutePath().normalize();
        try (Stream<Path> files = Files.list(target)) {
            List<Path> jars = files.filter(p -> p.getFileName().toString().matches("partitioner-example-header-[^-]+(-SNAPSHOT)?\\.jar"))
                    .collect(Collectors.toList());
            if (jars.size() != 1) {
                throw new IllegalStateException("expected one example bundle jar in " + target + ", found " + jars);
            }
            return jars.get(0);
        }
    }

    private void start(Path home) throws IOException {
        Path data = tmp.newFolder("data").toPath();
        output = tmp.newFile("broker.out").toPath();
        ProcessBuilder pb = new ProcessBuilder(home.resolve("bin/cairn").toString(), "run",
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + freePort(),
                "--override", "log.dirs=" + data)
                .directory(home.toFile()).redirectErrorStream(true).redirectOutput(output.toFile());
        pb.environment().put("CAIRN_HEAP_OPTS", "-Xms128m -Xmx512m");
        broker = pb.start();
    }

    private static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    private int count(String line) {
        Matcher m = Pattern.compile(Pattern.quote(line)).matcher(output());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /** Waits for a condition with a bounded deadline, re-checking every 100 ms; fails early if the broker died. */
    private void await(String what, java.util.function.BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (!broker.isAlive()) {
                throw new AssertionError("broker exited with " + broker.exitValue() + " waiting until " + what + ":\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting until " + what + ":\n" + output());
            }
            TimeUnit.MILLISECONDS.sleep(100);
        }
    }
}
