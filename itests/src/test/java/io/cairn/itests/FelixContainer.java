package io.cairn.itests;

import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.cleanCaches;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.systemProperty;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.function.BooleanSupplier;

import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.ConfigurationAdmin;

import io.cairn.launcher.Distribution;

/**
 * The one support class of the Pax Exam tests: the default broker's bundles, exactly as the built
 * distribution's features resolve them, in a Felix test container with a data directory of its own;
 * the broker's configuration through ConfigAdmin; and a bounded wait for the conditions those tests
 * observe as services come and go.
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

    /** The system property that tells the test inside the container its data directory. */
    private static final String DATA_DIR = "cairn.it.dataDir";

    /** The broker's configuration PID (the kernel's {@code BrokerConfig}). */
    private static final String BROKER_PID = "io.cairn.broker";

    /**
     * {@link #brokerBundles()}, a new temporary data directory named after {@code prefix} (see
     * {@link #dataDir()}) and {@code extra}: the whole of a test's {@code @Configuration}.
     */
    public static Option[] withDataDir(String prefix, Option... extra) throws Exception {
        List<Option> options = new ArrayList<>(brokerBundles());
        options.add(systemProperty(DATA_DIR).value(Files.createTempDirectory(prefix).toString()));
        options.addAll(Arrays.asList(extra));
        return options.toArray(new Option[0]);
    }

    /** Inside the container: the data directory {@link #withDataDir} made for this test class. */
    public static Path dataDir() {
        return Path.of(System.getProperty(DATA_DIR));
    }

    /**
     * The broker's configuration every test starts from: this broker id, an ephemeral listener port
     * on 127.0.0.1 and {@link #dataDir()} as its log directory. A test adds its own keys.
     */
    public static Dictionary<String, Object> brokerConfiguration(int brokerId) {
        Dictionary<String, Object> props = new Hashtable<>();
        props.put("broker.id", Integer.toString(brokerId));
        props.put("listeners", "PLAINTEXT://127.0.0.1:0");
        props.put("log.dirs", dataDir().toString());
        return props;
    }

    /** Sets the broker's configuration, unless it is already exactly {@code props}. */
    public static void configureBroker(ConfigurationAdmin configAdmin, Dictionary<String, Object> props) throws IOException {
        configAdmin.getConfiguration(BROKER_PID, "?").updateIfDifferent(props);
    }

    /** Waits until a service of {@code type} is registered and returns it. */
    public static <T> T service(BundleContext context, Class<T> type) throws InterruptedException {
        await(type.getSimpleName() + " is registered", () -> context.getServiceReference(type) != null);
        ServiceReference<T> ref = context.getServiceReference(type);
        return context.getService(ref);
    }

    /** The installed bundle with this symbolic name. */
    public static Bundle bundleNamed(BundleContext context, String symbolicName) {
        for (Bundle b : context.getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("no bundle " + symbolicName);
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
