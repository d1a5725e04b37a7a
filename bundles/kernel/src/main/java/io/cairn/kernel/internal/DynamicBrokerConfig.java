package io.cairn.kernel.internal;

import java.io.IOException;
import java.io.Reader;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;

/**
 * This broker's dynamic configuration, Kafka's per-broker dynamic configs
 * ({@code kafka-configs --entity-type brokers --entity-name <id> --alter}): keys changed while the
 * broker runs, kept in {@value #FILE_NAME} in the first log directory so that they outlive a
 * restart and win over {@code server.properties}, as Kafka's dynamic values do.
 *
 * <p>Only keys whose owners follow a configuration change in place may be set: the offset store
 * selection and the group coordinator's keys ({@link #isDynamic}). Keeping the choice of offset
 * store across a restart matters: after a live switch from {@code file} to {@code topic}, starting
 * again on {@code file} would serve offsets older than the ones committed since.
 *
 * <p>The file is a {@link Properties} text written to a temporary file, fsynced and renamed over
 * the old one, then the directory is fsynced: a crash leaves either the old or the new content.
 *
 * <p>Thread-safety: stateless; the kernel's worker thread serialises writers.
 */
final class DynamicBrokerConfig {

    static final String FILE_NAME = "cairn-dynamic-broker.properties";

    /** Key prefixes that may change while the broker runs (see {@link #isDynamic}). */
    private static final List<String> DYNAMIC_PREFIXES = List.of("cairn.offsets.store", "group.",
            "offsets.retention.");

    private DynamicBrokerConfig() {
    }

    /** Whether {@code key} may be changed while the broker runs. */
    static boolean isDynamic(String key) {
        return DYNAMIC_PREFIXES.stream().anyMatch(key::startsWith);
    }

    /** The file holding the dynamic values for a broker whose first log directory is {@code logDir}. */
    static Path file(Path logDir) {
        return logDir.resolve(FILE_NAME);
    }

    /** Reads the dynamic values; none if the file does not exist. */
    static Map<String, String> read(Path file) {
        Properties p = new Properties();
        try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            p.load(in);
        } catch (NoSuchFileException e) {
            return Map.of();
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot read dynamic broker configuration " + file, e);
        }
        Map<String, String> values = new TreeMap<>();
        p.stringPropertyNames().forEach(k -> values.put(k, p.getProperty(k)));
        return values;
    }

    /**
     * The dynamic values after applying {@code changes} to {@code current}.
     *
     * @throws BrokerException {@code INVALID_REQUEST} naming every key that cannot change while the
     *     broker runs, as Kafka words it
     */
    static Map<String, String> apply(Map<String, String> current, Map<String, Optional<String>> changes,
            boolean replace) {
        List<String> refused = changes.keySet().stream().filter(k -> !isDynamic(k)).sorted().toList();
        if (!refused.isEmpty()) {
            throw new BrokerException(BrokerError.INVALID_REQUEST, "Cannot update these configs dynamically: "
                    + refused + " (in Cairn only cairn.offsets.store, group.* and offsets.retention.* change"
                    + " while the broker runs; set the others in server.properties or with --override and restart)");
        }
        Map<String, String> next = new TreeMap<>(replace ? Map.of() : current);
        changes.forEach((k, v) -> {
            if (v.isPresent()) {
                if (v.get().isBlank()) {
                    throw new BrokerException(BrokerError.INVALID_CONFIG, "Invalid value '' for configuration " + k);
                }
                next.put(k, v.get().trim());
            } else {
                next.remove(k);
            }
        });
        return next;
    }

    /** Replaces the file's content with {@code values}, atomically and durably. */
    static void write(Path file, Map<String, String> values) throws IOException {
        Properties p = new Properties();
        p.putAll(values);
        StringWriter text = new StringWriter();
        p.store(text, "Dynamic broker configuration, written by Cairn (kafka-configs --entity-type brokers)."
                + " Wins over server.properties.");
        Files.createDirectories(file.getParent());
        Path tmp = file.resolveSibling(FILE_NAME + ".tmp");
        try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            ByteBuffer bytes = ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                ch.write(bytes);
            }
            ch.force(true);
        }
        try {
            Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel dir = FileChannel.open(file.getParent(), StandardOpenOption.READ)) {
            dir.force(true);
        } catch (IOException e) {
            // Some file systems cannot open a directory for fsync; the rename itself is done.
        }
    }
}
