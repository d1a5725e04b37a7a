package io.cairn.launcher;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Properties;

/**
 * The framework properties the launcher gives Felix.
 *
 * <p>Three layers, later ones winning: the launcher's defaults; every property of
 * {@code etc/launcher.properties} other than {@value Main#BOOT_FEATURES} (so an operator can tune,
 * say, {@code felix.fileinstall.poll}); and the broker hand-off contract with the kernel
 * ({@code cairn.home}, {@code cairn.working.dir}, {@code cairn.server.config},
 * {@code cairn.server.config.source}), which nothing overrides.
 */
final class FrameworkConfig {

    static final String HOME = "cairn.home";
    static final String WORKING_DIR = "cairn.working.dir";

    private FrameworkConfig() {
    }

    /**
     * @param home         the distribution's home directory, absolute
     * @param cacheDir     a fresh directory for the framework's bundle cache
     * @param interactive  whether Gogo may take over the terminal
     * @param startLevel   the framework's start level: at least the highest bundle start level
     * @param launcherProperties the contents of {@code etc/launcher.properties}
     * @param serverConfig the merged broker configuration
     * @param configSource the file {@code serverConfig} was read from, absolute
     * @param workingDir   the launcher's working directory, absolute
     */
    static Map<String, String> build(Path home, Path cacheDir, boolean interactive, int startLevel, Properties launcherProperties,
            Properties serverConfig, Path configSource, Path workingDir) {
        Map<String, String> config = new LinkedHashMap<>();
        config.put("org.osgi.framework.storage", cacheDir.toString());
        // The cache is disposable: every start installs the bundles of etc/features.xml afresh.
        config.put("org.osgi.framework.storage.clean", "onFirstInit");
        // Start levels as in Karaf: the framework runs at the highest one, so that a stop goes
        // down through them (console and hot deploy first, logging last); bundles installed later
        // (from deploy/) get the level of ordinary feature bundles.
        config.put("org.osgi.framework.startlevel.beginning", Integer.toString(startLevel));
        config.put("felix.startlevel.bundle", Integer.toString(BundleSpec.DEFAULT_START_LEVEL));

        config.put("felix.fileinstall.dir", home.resolve("deploy").toString());
        config.put("felix.fileinstall.poll", "1000");
        config.put("felix.fileinstall.noInitialDelay", "true");
        // 3 = info: installs and starts from deploy/ show in the console output.
        config.put("felix.fileinstall.log.level", "3");

        // Gogo reads <gosh.home>/etc/gosh_profile; without gosh.home it would read one from
        // whatever the working directory happens to be.
        config.put("gosh.home", home.toString());
        if (!interactive) {
            config.put("gosh.args", "--nointeractive");
        }
        // No remote shell is shipped (gogo.jline has none; no telnet or ssh bundle is in a feature).

        for (String key : launcherProperties.stringPropertyNames()) {
            if (!key.equals(Main.BOOT_FEATURES)) {
                config.put(key, launcherProperties.getProperty(key));
            }
        }

        config.put(HOME, home.toString());
        config.put(WORKING_DIR, workingDir.toString());
        config.put(ServerConfig.CONFIG_PROPERTY, ServerConfig.serialize(serverConfig));
        config.put(ServerConfig.SOURCE_PROPERTY, configSource.toString());
        return config;
    }
}
