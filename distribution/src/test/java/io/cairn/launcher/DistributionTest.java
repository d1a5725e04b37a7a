package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DistributionTest {

    @TempDir
    Path home;

    @Test
    void fragmentsAreNotToBeStartedEvenWithoutStartFalse() throws Exception {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/features.xml"),
                "<features name='t' xmlns='http://karaf.apache.org/xmlns/features/v1.6.0'>"
                + "<feature name='net'>"
                + "<bundle>mvn:io.netty/netty-transport-classes-epoll/4.1.137.Final</bundle>"
                + "<bundle>mvn:io.netty/netty-transport-native-epoll/4.1.137.Final/jar/linux-x86_64</bundle>"
                + "</feature></features>");
        jar("io/netty/netty-transport-classes-epoll/4.1.137.Final/netty-transport-classes-epoll-4.1.137.Final.jar", null);
        jar("io/netty/netty-transport-native-epoll/4.1.137.Final/netty-transport-native-epoll-4.1.137.Final-linux-x86_64.jar",
                "io.netty.transport-classes-epoll");

        List<Distribution.Bundle> bundles = Distribution.bundles(home, List.of("net"));

        assertEquals(List.of(true, false), bundles.stream().map(Distribution.Bundle::start).collect(Collectors.toList()));
        assertEquals(home.resolve("system/io/netty/netty-transport-classes-epoll/4.1.137.Final/"
                + "netty-transport-classes-epoll-4.1.137.Final.jar"), bundles.get(0).file());
    }

    @Test
    void failuresCarryTheLaunchersMessage() throws Exception {
        Files.createDirectories(home.resolve("etc"));
        Files.writeString(home.resolve("etc/features.xml"),
                "<features name='t' xmlns='http://karaf.apache.org/xmlns/features/v1.6.0'/>");

        IllegalStateException e = assertThrows(IllegalStateException.class, () -> Distribution.bundles(home, List.of("cairn")));

        assertTrue(e.getMessage().contains("no feature named 'cairn'"), e.getMessage());
    }

    private void jar(String relative, String fragmentHost) throws Exception {
        Path file = home.resolve("system").resolve(relative);
        Files.createDirectories(file.getParent());
        Manifest manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        if (fragmentHost != null) {
            manifest.getMainAttributes().putValue("Fragment-Host", fragmentHost);
        }
        try (OutputStream out = Files.newOutputStream(file); JarOutputStream jar = new JarOutputStream(out, manifest)) {
            jar.flush();
        }
    }
}
