package io.cairn.launcher;

import java.io.Console;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.stream.Collectors;

import org.osgi.framework.FrameworkEvent;

import sun.misc.Signal;

/**
 * Starts Cairn: Apache Felix with the bundles of the boot features.
 *
 * <pre>
 * java -Dcairn.home=HOME -jar HOME/lib/cairn-launcher.jar [--override key=value]... [--daemon] [server.properties]
 * </pre>
 *
 * Reads {@code etc/launcher.properties} and {@code etc/features.xml}, resolves the features named
 * by {@value #BOOT_FEATURES} to bundles in {@code system/}, merges the broker configuration (see
 * {@link ServerConfig}), then installs and starts everything in a fresh framework and waits for it
 * to stop. SIGTERM and SIGINT stop the framework (bounded by {@value #STOP_TIMEOUT_MS} ms) and end
 * the process with status 0.
 *
 * <p>Exit status: 0 after a clean stop; 1 if the broker could not start (the reason is logged);
 * 2 for a usage error.
 */
public final class Main {

    static final String BOOT_FEATURES = "cairn.boot.features";
    static final String DEFAULT_BOOT_FEATURES = "cairn-runtime,cairn";
    static final String LOGS_DIR = "cairn.logs.dir";

    static final int EXIT_OK = 0;
    static final int EXIT_FAILED = 1;
    static final int EXIT_USAGE = 2;

    /** How long a stop may take before the process gives up on the framework and halts. */
    static final long STOP_TIMEOUT_MS = 10_000;

    private final LauncherLog log = new LauncherLog();
    private volatile FelixRuntime runtime;
    private volatile RunDirectory runDirectory;
    private volatile boolean stopRequested;

    private Main() {
    }

    public static void main(String[] args) {
        System.exit(new Main().run(args));
    }

    private int run(String[] args) {
        long jvmStart = ManagementFactory.getRuntimeMXBean().getStartTime();
        CommandLine commandLine;
        try {
            commandLine = CommandLine.parse(args);
        } catch (LaunchException e) {
            System.err.println(e.getMessage());
            return EXIT_USAGE;
        }
        if (commandLine.help()) {
            System.out.println(CommandLine.USAGE);
            return EXIT_OK;
        }
        try {
            return launch(commandLine, jvmStart);
        } catch (LaunchException e) {
            if (stopRequested) {
                return EXIT_OK; // stopped while starting: the errors are the stop's, not the broker's
            }
            log.error("Cairn did not start: " + e.getMessage());
            stopAndWait();
            return EXIT_FAILED;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return EXIT_FAILED;
        } finally {
            log.useConsole();
            RunDirectory scratch = runDirectory;
            if (scratch != null) {
                scratch.delete();
            }
        }
    }

    private int launch(CommandLine commandLine, long jvmStart) throws LaunchException, InterruptedException {
        Path home = home();
        configureLogging(home);

        Properties launcherProperties = loadOptional(home.resolve("etc/launcher.properties"));
        List<String> bootFeatures = bootFeatures(launcherProperties);
        FeaturesRepository features = FeaturesRepository.read(home.resolve("etc/features.xml"));
        List<FelixRuntime.Installable> bundles = new SystemRepository(home.resolve("system"))
                .locate(features.resolve(bootFeatures));

        Path workingDir = Path.of(System.getProperty("user.dir")).toAbsolutePath();
        Path configFile = commandLine.configFile().orElse(home.resolve("etc/server.properties")).toAbsolutePath().normalize();
        Properties serverConfig = ServerConfig.merge(configFile, commandLine.overrides());

        boolean interactive = !commandLine.daemon() && onTerminal();
        runDirectory = RunDirectory.create(Path.of(System.getProperty("java.io.tmpdir")));
        System.setProperty("java.io.tmpdir", runDirectory.temp().toString());
        System.setProperty("org.xerial.snappy.tempdir", runDirectory.temp().toString());
        if (!interactive) {
            // Gogo builds a terminal even without a console; say it should be a dumb one, or jline
            // warns that it could not create a system terminal.
            System.setProperty("org.jline.terminal.dumb", "true");
        }
        int startLevel = Math.max(100, bundles.stream().mapToInt(b -> b.spec().startLevel()).max().orElse(0));
        Map<String, String> config = FrameworkConfig.build(home, runDirectory.frameworkCache(), interactive, startLevel,
                launcherProperties, serverConfig, configFile, workingDir);

        // jline (Gogo's console) finds its terminal providers through the context class loader;
        // the launcher's would hide them and leave a dumb terminal (OSGI-NOTES P11).
        Thread.currentThread().setContextClassLoader(null);
        FelixRuntime felix = FelixRuntime.create(config, log);
        runtime = felix;
        installStopHandlers();

        int count = felix.boot(bundles);
        if (!stopRequested) {
            log.info("Cairn started in " + (System.currentTimeMillis() - jvmStart) + " ms (" + count
                    + " bundles, features " + String.join(", ", bootFeatures) + ", configuration " + configFile + ")");
        }
        felix.waitForStop(0);
        return EXIT_OK;
    }

    /** {@code -Dcairn.home}, else the directory above the launcher jar's {@code lib/}. */
    private static Path home() throws LaunchException {
        String configured = System.getProperty(FrameworkConfig.HOME);
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured).toAbsolutePath().normalize();
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            if (Files.isRegularFile(jar) && jar.getParent() != null && jar.getParent().getParent() != null) {
                return jar.getParent().getParent().toAbsolutePath().normalize();
            }
        } catch (URISyntaxException | SecurityException | IllegalArgumentException e) {
            // fall through to the message below
        }
        throw new LaunchException("Cannot tell where Cairn is installed: start it with bin/cairn or -Dcairn.home=DIR");
    }

    /** Points logback at {@code etc/logback.xml} and {@code logs/}, unless the command line already did. */
    private static void configureLogging(Path home) throws LaunchException {
        Path logs = Path.of(System.getProperty(LOGS_DIR, home.resolve("logs").toString())).toAbsolutePath();
        try {
            Files.createDirectories(logs);
        } catch (IOException e) {
            throw new LaunchException("Cannot create the logs directory " + logs + ": " + e.getMessage(), e);
        }
        System.setProperty(LOGS_DIR, logs.toString());
        Path logback = home.resolve("etc/logback.xml");
        if (System.getProperty("logback.configurationFile") == null && Files.isRegularFile(logback)) {
            System.setProperty("logback.configurationFile", logback.toString());
        }
    }

    /** {@code -Dcairn.boot.features}, else the one in {@code etc/launcher.properties}, else the default. */
    static List<String> bootFeatures(Properties launcherProperties) {
        return Arrays.stream(System.getProperty(BOOT_FEATURES,
                        launcherProperties.getProperty(BOOT_FEATURES, DEFAULT_BOOT_FEATURES)).split(","))
                .map(String::trim)
                .filter(name -> !name.isEmpty())
                .collect(Collectors.toList());
    }

    static Properties loadOptional(Path file) throws LaunchException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            // every launcher property has a default
        } catch (IOException | IllegalArgumentException e) {
            throw new LaunchException("Cannot read " + file + ": " + e.getMessage(), e);
        }
        return properties;
    }

    /** In the foreground on a terminal, where an interactive console makes sense. */
    private static boolean onTerminal() {
        Console console = System.console();
        if (console == null) {
            return false;
        }
        if (Runtime.version().feature() >= 22) {
            // From Java 22 System.console() is not null without a terminal either.
            try {
                return (Boolean) Console.class.getMethod("isTerminal").invoke(console);
            } catch (ReflectiveOperationException e) {
                return true;
            }
        }
        return true;
    }

    private void installStopHandlers() {
        for (String name : List.of("TERM", "INT")) {
            try {
                // Handling the signal ourselves (instead of only a shutdown hook) is what lets a
                // clean stop end with status 0 rather than the JVM's 128 + signal number.
                Signal.handle(new Signal(name), signal -> stopOnSignal(signal.getName()));
            } catch (IllegalArgumentException e) {
                log.warn("Cannot handle SIG" + name + " (" + e.getMessage() + "); relying on the shutdown hook");
            }
        }
        // Other ways out (SIGHUP, System.exit in a bundle): still stop the framework properly.
        Runtime.getRuntime().addShutdownHook(new Thread(this::stopFromShutdownHook, "cairn-shutdown"));
    }

    private void stopOnSignal(String signal) {
        stopRequested = true;
        log.info("Received SIG" + signal);
        stopAndWait();
        // The main thread returns from waitForStop and exits with status 0.
    }

    private void stopFromShutdownHook() {
        stopRequested = true;
        FelixRuntime felix = runtime;
        if (felix != null && felix.isRunning()) {
            stopAndWait();
        }
        RunDirectory scratch = runDirectory;
        if (scratch != null) {
            scratch.delete();
        }
    }

    private void stopAndWait() {
        FelixRuntime felix = runtime;
        if (felix == null) {
            return;
        }
        felix.stop();
        try {
            if (felix.waitForStop(STOP_TIMEOUT_MS).getType() == FrameworkEvent.WAIT_TIMEDOUT) {
                log.useConsole();
                log.error("The OSGi framework did not stop within " + STOP_TIMEOUT_MS + " ms; halting");
                Runtime.getRuntime().halt(EXIT_FAILED);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
