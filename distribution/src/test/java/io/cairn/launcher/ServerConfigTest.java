package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.StringReader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {

    @TempDir
    Path dir;

    @Test
    void overridesWinOverTheFileAndEverythingElseIsKept() throws Exception {
        Path file = Files.writeString(dir.resolve("server.properties"),
                "# comment\nbroker.id=1\nlisteners=PLAINTEXT://:9092\nnum.partitions=1\n");

        Properties merged = ServerConfig.merge(file, Map.of(
                "listeners", "PLAINTEXT://127.0.0.1:39192",
                "log.dirs", "data/broker-1"));

        assertEquals("PLAINTEXT://127.0.0.1:39192", merged.getProperty("listeners"));
        assertEquals("1", merged.getProperty("broker.id"));
        assertEquals("1", merged.getProperty("num.partitions"));
        assertEquals("data/broker-1", merged.getProperty("log.dirs"), "relative paths are passed on as written");
        assertEquals(4, merged.size());
    }

    @Test
    void serializedFormLoadsBackToTheSameProperties() throws Exception {
        Properties merged = ServerConfig.merge(
                Files.writeString(dir.resolve("server.properties"), "listeners=PLAINTEXT://:9092\n"),
                Map.of("cairn.note", "spaces, = signs, colons: and \u00e9 survive"));

        Properties readBack = new Properties();
        readBack.load(new StringReader(ServerConfig.serialize(merged)));

        assertEquals(merged, readBack);
    }

    @Test
    void missingFileNamesItsPath() {
        Path missing = dir.resolve("nope.properties");

        LaunchException e = assertThrows(LaunchException.class, () -> ServerConfig.merge(missing, Map.of()));

        assertTrue(e.getMessage().contains(missing.toString()), e.getMessage());
    }
}
