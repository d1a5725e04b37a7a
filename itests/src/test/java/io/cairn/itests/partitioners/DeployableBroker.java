package io.cairn.itests.partitioners;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * A broker run as a process from its own copy of the built distribution, so that the test owns
 * {@code deploy/} (it belongs to the installation); its output goes to a file the test reads to see
 * plugins arrive and leave. Also the example header partitioner's jar, which the distribution does
 * not ship, and the lines the kernel logs for it.
 */
final class DeployableBroker implements AutoCloseable {

    /** What the kernel logs when the example header partitioner is offered. */
    static final String HEADER_ARRIVED = "Plugin arrived: Partitioner 'header' from io.cairn.partitioner.example.header";
    /** What the kernel logs when it is gone. */
    static final String HEADER_LEFT = "Plugin left: Partitioner 'header' from io.cairn.partitioner.example.header";
    /** What the kernel logs once the built-in partitioners are there: the broker has started. */
    static final String KEYHASH_ARRIVED = "Plugin arrived: Partitioner 'keyhash' from io.cairn.partitioner.keyhash";

    private final Path home;
    private final Process process;
    private final Path output;
    private final Duration wait;

    private DeployableBroker(Path home, Process process, Path output, Duration wait) {
        this.home = home;
        this.process = process;
        this.output = output;
        this.wait = wait;
    }

    /**
     * Copies the distribution to {@code home} and starts {@code bin/cairn run} there with a listener
     * on {@code kafkaPort}, {@code logDir} and {@code extraOverrides}.
     *
     * @param wait how long {@link #await} waits for one condition
     * @param env environment variables added to the broker's (CAIRN_OPTS and the like)
     */
    static DeployableBroker start(Path home, Path logDir, Path output, int kafkaPort, Duration wait,
            Map<String, String> env, String... extraOverrides) throws IOException {
        copyOfDistribution(home);
        Files.createDirectories(home.resolve("deploy"));
        List<String> cmd = new ArrayList<>(List.of(home.resolve("bin/cairn").toString(), "run",
                "--override", "listeners=PLAINTEXT://127.0.0.1:" + kafkaPort,
                "--override", "log.dirs=" + logDir));
        for (String o : extraOverrides) {
            cmd.add("--override");
            cmd.add(o);
        }
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(output.toFile());
        pb.environment().put("CAIRN_HEAP_OPTS", "-Xms128m -Xmx512m");
        pb.environment().putAll(env);
        return new DeployableBroker(home, pb.start(), output, wait);
    }

    /** The example bundle as the reactor built it (it comes before itests in the module list). */
    static Path exampleBundle() throws IOException {
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

    /** A TCP port that was free a moment ago on 127.0.0.1. */
    static int freePort() {
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The distribution built by the reactor, copied to {@code target}. */
    private static void copyOfDistribution(Path target) throws IOException {
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
    }

    /** This installation's hot-deploy directory. */
    Path deploy() {
        return home.resolve("deploy");
    }

    Process process() {
        return process;
    }

    /** Everything the broker printed so far. */
    String output() {
        try {
            return Files.readString(output, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(output unreadable: " + e + ")";
        }
    }

    /** How often the broker has printed {@code line} so far. */
    int count(String line) {
        Matcher m = Pattern.compile(Pattern.quote(line)).matcher(output());
        int n = 0;
        while (m.find()) {
            n++;
        }
        return n;
    }

    /**
     * Waits until {@code condition} holds, re-checking every 50 ms; fails with the broker's output
     * when the wait given to {@link #start} is over, or at once if the broker died.
     */
    void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + wait.toNanos();
        while (!condition.getAsBoolean()) {
            if (!process.isAlive()) {
                throw new AssertionError("broker exited with " + process.exitValue() + " waiting until " + what + ":\n" + output());
            }
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + wait + " waiting until " + what + ":\n" + output());
            }
            TimeUnit.MILLISECONDS.sleep(50);
        }
    }

    /** Kills the broker if it still runs. */
    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            process.destroyForcibly();
            process.waitFor(10, TimeUnit.SECONDS);
        }
    }
}
