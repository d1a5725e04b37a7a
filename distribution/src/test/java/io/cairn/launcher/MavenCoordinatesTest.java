package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class MavenCoordinatesTest {

    @Test
    void plainJarMapsToMavenRepositoryLayout() {
        MavenCoordinates scr = MavenCoordinates.parse("mvn:org.apache.felix/org.apache.felix.scr/2.2.18");

        assertEquals(Path.of("org/apache/felix/org.apache.felix.scr/2.2.18/org.apache.felix.scr-2.2.18.jar"),
                scr.repositoryPath());
    }

    @Test
    void classifierGoesAfterTheVersion() {
        MavenCoordinates epoll = MavenCoordinates.parse("mvn:io.netty/netty-transport-native-epoll/4.1.137.Final/jar/linux-x86_64");

        assertEquals(Path.of("io/netty/netty-transport-native-epoll/4.1.137.Final/"
                + "netty-transport-native-epoll-4.1.137.Final-linux-x86_64.jar"), epoll.repositoryPath());
    }

    @Test
    void typeIsTheFileExtensionAndSnapshotsKeepTheirBaseVersion() {
        MavenCoordinates features = MavenCoordinates.parse("mvn:io.cairn/features/0.1.0-SNAPSHOT/xml/features");

        assertEquals(Path.of("io/cairn/features/0.1.0-SNAPSHOT/features-0.1.0-SNAPSHOT-features.xml"),
                features.repositoryPath());
    }

    @Test
    void emptyTypeMeansJar() {
        MavenCoordinates coordinates = MavenCoordinates.parse("mvn:g.h/a/1.0//tests");

        assertEquals("jar", coordinates.type());
        assertEquals(Path.of("g/h/a/1.0/a-1.0-tests.jar"), coordinates.repositoryPath());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "mvn:org.slf4j/slf4j-api/1.7.36",
        "mvn:io.cairn/features/0.1.0-SNAPSHOT/xml/features",
        "mvn:io.netty/netty-transport-native-epoll/4.1.137.Final/jar/linux-x86_64"})
    void printsBackAsWritten(String location) {
        assertEquals(location, MavenCoordinates.parse(location).toString());
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "file:/opt/bundles/a.jar",                 // not mvn:
        "wrap:mvn:g/a/1.0",                        // Karaf's wrap: needs bnd at run time
        "mvn:g/a",                                 // no version
        "mvn:g/a/1.0/jar/c/extra",                 // too many parts
        "mvn:https://repo.example.org!g/a/1.0",    // system/ is the only repository
        "mvn:g/a/LATEST",                          // must be exact
        "mvn:g/a/[1.0,2.0)",                       // no ranges
        "mvn:g/a/..",                              // would leave system/
        "mvn:../a/1.0",
        "mvn:g/a b/1.0"})
    void rejectsWhatSystemCannotHold(String location) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MavenCoordinates.parse(location));

        assertTrue(e.getMessage().contains(location), e.getMessage());
    }
}
