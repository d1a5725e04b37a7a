package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;

class FeaturesRepositoryTest {

    private static final String OPEN = "<features name='test' xmlns='http://karaf.apache.org/xmlns/features/v1.6.0'>";
    private static final String CLOSE = "</features>";

    @Test
    void dependenciesFirstEachBundleOnce() throws Exception {
        FeaturesRepository repository = read(
                "<feature name='runtime' version='1.0.0'>"
                + "  <bundle start-level='10'>mvn:org.slf4j/slf4j-api/1.7.36</bundle>"
                + "</feature>"
                + "<feature name='spi' version='1.0.0'>"
                + "  <bundle>mvn:io.cairn/storage-spi/0.1.0-SNAPSHOT</bundle>"
                + "</feature>"
                + "<feature name='core' version='1.0.0'>"
                + "  <feature>spi</feature>"
                + "  <bundle>mvn:io.cairn/kernel/0.1.0-SNAPSHOT</bundle>"
                + "  <bundle start='false'>mvn:io.netty/netty-transport-native-epoll/4.1.137.Final/jar/linux-x86_64</bundle>"
                + "</feature>"
                + "<feature name='meta' version='1.0.0'>"
                + "  <feature>spi</feature>"
                + "  <bundle>mvn:io.cairn/metadata-standalone/0.1.0-SNAPSHOT</bundle>"
                + "</feature>"
                + "<feature name='broker' version='1.0.0'>"
                + "  <details>ignored</details>"
                + "  <feature>core</feature>"
                + "  <feature>meta</feature>"
                + "</feature>");

        List<BundleSpec> bundles = repository.resolve(List.of("runtime", "broker"));

        assertEquals(List.of(
                "mvn:org.slf4j/slf4j-api/1.7.36",
                "mvn:io.cairn/storage-spi/0.1.0-SNAPSHOT",
                "mvn:io.cairn/kernel/0.1.0-SNAPSHOT",
                "mvn:io.netty/netty-transport-native-epoll/4.1.137.Final/jar/linux-x86_64",
                "mvn:io.cairn/metadata-standalone/0.1.0-SNAPSHOT"), locations(bundles));
        assertEquals(10, bundles.get(0).startLevel());
        assertEquals(BundleSpec.DEFAULT_START_LEVEL, bundles.get(1).startLevel());
        assertTrue(bundles.get(2).start());
        assertFalse(bundles.get(3).start());
    }

    @Test
    void aBundleInTwoFeaturesKeepsTheEarlierStartLevel() throws Exception {
        FeaturesRepository repository = read(
                "<feature name='a'><bundle start-level='50'>mvn:g/x/1</bundle></feature>"
                + "<feature name='b'><bundle start-level='20'>mvn:g/x/1</bundle><bundle>mvn:g/y/1</bundle></feature>");

        List<BundleSpec> bundles = repository.resolve(List.of("a", "b"));

        assertEquals(List.of("mvn:g/x/1", "mvn:g/y/1"), locations(bundles));
        assertEquals(20, bundles.get(0).startLevel());
    }

    @Test
    void picksTheHighestVersionThatTheDependencyAccepts() throws Exception {
        FeaturesRepository repository = read(
                "<feature name='lib' version='1.0.0'><bundle>mvn:g/lib/1.0.0</bundle></feature>"
                + "<feature name='lib' version='2.0.0-SNAPSHOT'><bundle>mvn:g/lib/2.0.0-SNAPSHOT</bundle></feature>"
                + "<feature name='old'><feature version='[1,2)'>lib</feature></feature>"
                + "<feature name='exact'><feature version='2.0.0-SNAPSHOT'>lib</feature></feature>");

        assertEquals(List.of("mvn:g/lib/2.0.0-SNAPSHOT"), locations(repository.resolve(List.of("lib"))));
        assertEquals(List.of("mvn:g/lib/1.0.0"), locations(repository.resolve(List.of("old"))));
        assertEquals(List.of("mvn:g/lib/2.0.0-SNAPSHOT"), locations(repository.resolve(List.of("exact"))));
    }

    @Test
    void unknownFeatureIsNamedWithTheKnownOnes() throws Exception {
        FeaturesRepository repository = read("<feature name='cairn'><feature>cairn-core</feature></feature>");

        LaunchException e = assertThrows(LaunchException.class, () -> repository.resolve(List.of("cairn")));

        assertTrue(e.getMessage().contains("'cairn-core'") && e.getMessage().contains("known features: cairn"), e.getMessage());
    }

    @Test
    void cycleIsReportedWithItsPath() throws Exception {
        FeaturesRepository repository = read(
                "<feature name='a' version='1'><feature>b</feature></feature>"
                + "<feature name='b' version='1'><feature>a</feature></feature>");

        LaunchException e = assertThrows(LaunchException.class, () -> repository.resolve(List.of("a")));

        assertTrue(e.getMessage().contains("a/1.0.0 -> b/1.0.0 -> a/1.0.0"), e.getMessage());
    }

    @Test
    void rejectsWhatTheLauncherWouldSilentlyIgnore() {
        LaunchException config = assertThrows(LaunchException.class, () -> read(
                "<feature name='a'><config name='io.cairn.kernel'>x=1</config></feature>"));
        LaunchException repository = assertThrows(LaunchException.class, () -> read(
                "<repository>mvn:org.apache.karaf.features/standard/4.4.6/xml/features</repository>"));

        assertTrue(config.getMessage().contains("<config>"), config.getMessage());
        assertTrue(repository.getMessage().contains("<repository>"), repository.getMessage());
    }

    @Test
    void rejectsBadLocationsAndOtherXml() {
        LaunchException location = assertThrows(LaunchException.class, () -> read(
                "<feature name='a'><bundle>wrap:mvn:g/a/1</bundle></feature>"));
        LaunchException notKaraf = assertThrows(LaunchException.class, () -> FeaturesRepository.read(
                new ByteArrayInputStream("<features><feature name='a'/></features>".getBytes(StandardCharsets.UTF_8)), "plain.xml"));

        assertTrue(location.getMessage().contains("feature a") && location.getMessage().contains("wrap:mvn:g/a/1"),
                location.getMessage());
        assertTrue(notKaraf.getMessage().contains("Karaf features namespace"), notKaraf.getMessage());
    }

    /**
     * The features file the distribution ships (copied from the features module before the tests
     * run): the default boot features reach the broker's bundles, dependencies first.
     */
    @Test
    void shippedFeaturesResolveTheDefaultBroker() throws Exception {
        String file = Objects.requireNonNull(System.getProperty("cairn.test.features"),
                "system property cairn.test.features (set by the pom) names the shipped features file");
        FeaturesRepository shipped = FeaturesRepository.read(Path.of(file));

        List<BundleSpec> bundles = shipped.resolve(List.of(Main.DEFAULT_BOOT_FEATURES.split(",")));
        List<String> artifacts = bundles.stream().map(b -> b.coordinates().artifactId()).collect(Collectors.toList());

        for (String expected : List.of("org.apache.felix.scr", "org.osgi.service.component", "org.apache.felix.configadmin",
                "org.apache.felix.fileinstall", "org.apache.felix.gogo.jline", "slf4j-api", "logback-classic",
                "storage-spi", "partitioner-spi", "broker-spi", "kernel", "protocol-kafka", "metadata-standalone",
                "netty-transport-classes-epoll", "zstd-jni", "lz4-java", "snappy-java")) {
            assertTrue(artifacts.contains(expected), expected + " in " + artifacts);
        }
        assertTrue(artifacts.indexOf("broker-spi") < artifacts.indexOf("kernel"), "cairn-spi before cairn-core: " + artifacts);
        BundleSpec epollNative = bundles.stream()
                .filter(b -> "linux-x86_64".equals(b.coordinates().classifier())).findFirst().orElseThrow();
        assertFalse(epollNative.start(), "the epoll native jar is a fragment");
        assertEquals(artifacts.size(), artifacts.stream().distinct().count(), "each bundle once: " + artifacts);
    }

    private static FeaturesRepository read(String features) throws LaunchException {
        return FeaturesRepository.read(
                new ByteArrayInputStream((OPEN + features + CLOSE).getBytes(StandardCharsets.UTF_8)), "test.xml");
    }

    private static List<String> locations(List<BundleSpec> bundles) {
        return bundles.stream().map(BundleSpec::location).collect(Collectors.toList());
    }
}
