package io.cairn.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.junit.jupiter.api.Test;

class CommandLineTest {

    @Test
    void overridesAndPropertiesFileInKafkaOrder() throws Exception {
        CommandLine line = CommandLine.parse("config/server.properties",
                "--override", "broker.id=2", "--override", "listeners=PLAINTEXT://127.0.0.1:39192");

        assertEquals(Optional.of(Path.of("config/server.properties")), line.configFile());
        assertEquals(Map.of("broker.id", "2", "listeners", "PLAINTEXT://127.0.0.1:39192"), line.overrides());
        assertFalse(line.daemon());
    }

    @Test
    void overridesMayComeBeforeTheFileAndTheLastOneWins() throws Exception {
        CommandLine line = CommandLine.parse("--override", "broker.id=2", "--daemon", "--override", "broker.id=3", "s.properties");

        assertEquals(Map.of("broker.id", "3"), line.overrides());
        assertEquals(Optional.of(Path.of("s.properties")), line.configFile());
        assertTrue(line.daemon());
    }

    @Test
    void valueKeepsEverythingAfterTheFirstEqualsSign() throws Exception {
        CommandLine line = CommandLine.parse("--override", "cairn.note=a=b", "--override", "log.dirs=");

        assertEquals("a=b", line.overrides().get("cairn.note"));
        assertEquals("", line.overrides().get("log.dirs"));
        assertEquals(Optional.empty(), line.configFile());
    }

    @Test
    void rejectsMalformedArguments() {
        for (List<String> args : List.of(
                List.of("--override"),
                List.of("--override", "broker.id"),
                List.of("--override", "=1"),
                List.of("--overide", "broker.id=1"),
                List.of("a.properties", "b.properties"))) {
            LaunchException e = assertThrows(LaunchException.class, () -> CommandLine.parse(args.toArray(String[]::new)),
                    args.toString());
            assertTrue(e.getMessage().contains("Usage"), e.getMessage());
        }
    }
}
