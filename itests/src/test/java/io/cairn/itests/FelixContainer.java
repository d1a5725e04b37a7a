package io.cairn.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.ops4j.pax.exam.Option;

import io.cairn.launcher.Distribution;

/**
 * The one support class of the Pax Exam tests: the default broker's bundles, exactly as the built
 * distribution's features resolve them, in a Felix test container; and a bounded wait for the
 * conditions those tests observe as services come and go.
 */
public final class FelixContainer {

    /** How long a test waits for a service or plugin to appear or leave. */
    public static final Duration WAIT = Duration.ofSeconds(20);

    private FelixContainer() {
    }

    /** The unpacked distribution built by the reactor. */
    public static Path distribution() {
        return Path.of(System.getProperty("cairn.dist", "../distribution/target/cairn")).toAbsolutePath();
    }

    /**
     * The features {@code cairn-runtime} and {@code cairn} from the distribution (without the shell
     * and the hot-deploy directory, which a test container has no use for), its logging
     * configuration, JUnit and the container settings every test shares.
     */
    public static List<Option> brokerBundles() throws Exception {
        Path home = distribution();
        List<Option> options = new ArrayList<>();
        for (Distribution.Bundle b : Distribution.bundles(home, List.of("cairn-runtime", "cairn"))) {
            String name = b.file().getFileName().toString();
            if (name.startsWith("org.apache.felix.gogo") || name.startsWith("jline")
                    || name.startsWith("org.apache.felix.fileinstall")) {
                continue;
            }
            String url = b.file().toUri().toString();
            options.add(b.start() ? bundle(url) : bundle(url).noStart());
        }
        options.add(systemProperty("logback.configurationFile").value(home.resolve("etc/logback.xml").toString()));
        options.add(junitBundles());
        options.add(cleanCaches());
        options.add(systemTimeout(60_000));
        return options;
    }

    /** Waits until {@code condition} holds, re-checking every 20 ms, failing after {@link #WAIT}. */
    public static void await(String what, BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() > deadline) {
                throw new AssertionError("timed out after " + WAIT + " waiting until " + what);
            }
            Thread.sleep(20);
        }
    }
}
