package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemRepositoryTest {

    @TempDir
    Path system;

    private final BundleSpec scr = bundle("mvn:org.apache.felix/org.apache.felix.scr/2.2.18");
    private final BundleSpec epoll = bundle("mvn:io.netty/netty-transport-native-epoll/4.1.137.Final/jar/linux-x86_64");

    @Test
    void locatesBundlesInRepositoryLayout() throws Exception {
        Path file = touch("org/apache/felix/org.apache.felix.scr/2.2.18/org.apache.felix.scr-2.2.18.jar");

        List<FelixRuntime.Installable> located = new SystemRepository(system).locate(List.of(scr));

        assertEquals(file, located.get(0).file());
    }

    @Test
    void everyMissingBundleIsNamedWithThePathExpected() {
        LaunchException e = assertThrows(LaunchException.class, () -> new SystemRepository(system).locate(List.of(scr, epoll)));

        assertTrue(e.getMessage().startsWith("2 bundle(s)"), e.getMessage());
        assertTrue(e.getMessage().contains("mvn:org.apache.felix/org.apache.felix.scr/2.2.18 -> "
                + system.resolve("org/apache/felix/org.apache.felix.scr/2.2.18/org.apache.felix.scr-2.2.18.jar")), e.getMessage());
        assertTrue(e.getMessage().contains("netty-transport-native-epoll-4.1.137.Final-linux-x86_64.jar"), e.getMessage());
    }

    @Test
    void findsFilesNoFeatureNames() throws Exception {
        touch("org/apache/felix/org.apache.felix.scr/2.2.18/org.apache.felix.scr-2.2.18.jar");
        touch("org/codehaus/mojo/animal-sniffer-annotations/1.9/animal-sniffer-annotations-1.9.jar");

        Set<String> extra = new SystemRepository(system).unreferenced(List.of(scr));

        assertEquals(Set.of("org/codehaus/mojo/animal-sniffer-annotations/1.9/animal-sniffer-annotations-1.9.jar"), extra);
    }

    private Path touch(String relative) throws Exception {
        Path file = system.resolve(relative);
        Files.createDirectories(file.getParent());
        return Files.writeString(file, "jar");
    }

    private static BundleSpec bundle(String location) {
        return new BundleSpec(MavenCoordinates.parse(location), BundleSpec.DEFAULT_START_LEVEL, true);
    }
}
