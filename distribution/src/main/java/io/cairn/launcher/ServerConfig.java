package io.cairn.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;

/**
 * The broker configuration handed to the kernel: {@code server.properties} with the command
 * line's {@code --override}s applied on top, as Kafka's start script does.
 *
 * <p>The hand-off is a contract with the kernel (framework properties):
 * <ul>
 * <li>{@value #CONFIG_PROPERTY}: the merged properties in {@link Properties#store} format;</li>
 * <li>{@value #SOURCE_PROPERTY}: the absolute path of the file they were read from.</li>
 * </ul>
 * Values are passed on as written; relative paths in them are resolved by the kernel.
 */
final class ServerConfig {

    static final String CONFIG_PROPERTY = "cairn.server.config";
    static final String SOURCE_PROPERTY = "cairn.server.config.source";

    private ServerConfig() {
    }

    /**
     * Reads {@code file} as Kafka does ({@link Properties#load(InputStream)}, ISO 8859-1 with
     * Unicode escapes) and applies {@code overrides}, which win over the file.
     *
     * @throws LaunchException if the file is missing or unreadable
     */
    static Properties merge(Path file, Map<String, String> overrides) throws LaunchException {
        Properties properties = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            properties.load(in);
        } catch (NoSuchFileException e) {
            throw new LaunchException("Broker configuration not found: " + file.toAbsolutePath());
        } catch (IOException | IllegalArgumentException e) {
            throw new LaunchException("Cannot read broker configuration " + file.toAbsolutePath() + ": " + e.getMessage(), e);
        }
        properties.putAll(overrides);
        return properties;
    }

    /** The properties in the form the kernel reads back with {@link Properties#load(java.io.Reader)}. */
    static String serialize(Properties properties) {
        StringWriter out = new StringWriter();
        try {
            properties.store(out, null);
        } catch (IOException e) {
            throw new UncheckedIOException("StringWriter does not fail", e);
        }
        return out.toString();
    }
}
