package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;

class FrameworkConfigTest {

    private static final Path HOME = Path.of("/opt/cairn");
    private static final Path SOURCE = Path.of("/opt/cairn/etc/server.properties");
    private static final Path WORKING_DIR = Path.of("/srv/work");

    @Test
    void handsTheBrokerConfigurationToTheKernel() throws Exception {
        Properties server = new Properties();
        server.setProperty("broker.id", "7");
        server.setProperty("listeners", "PLAINTEXT://127.0.0.1:39192");

        Map<String, String> config = build(false, new Properties(), server);

        Properties readBack = new Properties();
        readBack.load(new StringReader(config.get("cairn.server.config")));
        assertEquals(server, readBack);
        assertEquals(SOURCE.toString(), config.get("cairn.server.config.source"));
        assertEquals(HOME.toString(), config.get("cairn.home"));
        assertEquals(WORKING_DIR.toString(), config.get("cairn.working.dir"));
        assertEquals("/opt/cairn/deploy", config.get("felix.fileinstall.dir"));
        assertEquals("onFirstInit", config.get("org.osgi.framework.storage.clean"));
    }

    @Test
    void consoleOnlyWhenInteractive() {
        assertEquals("--nointeractive", build(false, new Properties(), new Properties()).get("gosh.args"));
        assertFalse(build(true, new Properties(), new Properties()).containsKey("gosh.args"));
        assertEquals(HOME.toString(), build(true, new Properties(), new Properties()).get("gosh.home"));
    }

    @Test
    void launcherPropertiesTuneTheFrameworkButNotTheContract() {
        Properties launcher = new Properties();
        launcher.setProperty("felix.fileinstall.poll", "2000");
        launcher.setProperty("cairn.home", "/elsewhere");
        launcher.setProperty(Main.BOOT_FEATURES, "cairn");

        Map<String, String> config = build(false, launcher, new Properties());

        assertEquals("2000", config.get("felix.fileinstall.poll"));
        assertEquals(HOME.toString(), config.get("cairn.home"));
        assertFalse(config.containsKey(Main.BOOT_FEATURES));
    }

    private static Map<String, String> build(boolean interactive, Properties launcher, Properties server) {
        return FrameworkConfig.build(HOME, Path.of("/tmp/cairn-1/felix-cache"), interactive, 100, launcher, server, SOURCE, WORKING_DIR);
    }
}
