package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.storage.spi.TopicPartition;

/**
 * Kafka's {@code cleaner-offset-checkpoint}: one file per log dir (the parent of the partition
 * directories), version 0, one {@code topic partition offset} line per compacted partition saying
 * where its dirty section starts. Lines of partitions this engine has not opened are kept.
 *
 * <p>Thread-safe: every read-modify-write of a file is serialised on this object.
 */
final class CleanerCheckpoints {

    private static final Logger LOG = LoggerFactory.getLogger(CleanerCheckpoints.class);

    private static Path file(Path partitionDir) {
        Path logDir = partitionDir.toAbsolutePath().getParent();
        return logDir.resolve(LogFiles.CLEANER_CHECKPOINT);
    }

    /** The checkpointed first dirty offset of the partition in {@code partitionDir}. */
    synchronized Optional<Long> read(Path partitionDir, TopicPartition partition) {
        return Optional.ofNullable(readAll(file(partitionDir)).get(key(partition)));
    }

    synchronized void write(Path partitionDir, TopicPartition partition, long offset) throws IOException {
        Path path = file(partitionDir);
        Map<String, Long> all = readAll(path);
        Long previous = all.put(key(partition), offset);
        if (previous == null || previous != offset) {
            store(path, all);
        }
    }

    /** Lowers the checkpoint to {@code offset} if it is above (the log was truncated). */
    synchronized void lowerTo(Path partitionDir, TopicPartition partition, long offset) throws IOException {
        Path path = file(partitionDir);
        Map<String, Long> all = readAll(path);
        Long current = all.get(key(partition));
        if (current != null && current > offset) {
            all.put(key(partition), offset);
            store(path, all);
        }
    }

    synchronized void remove(Path partitionDir, TopicPartition partition) throws IOException {
        Path path = file(partitionDir);
        Map<String, Long> all = readAll(path);
        if (all.remove(key(partition)) != null) {
            store(path, all);
        }
    }

    private static String key(TopicPartition partition) {
        return partition.topic() + " " + partition.partition();
    }

    private static Map<String, Long> readAll(Path path) {
        Map<String, Long> all = new TreeMap<>();
        try {
            Optional<List<String>> lines = new CheckpointFile(path).read();
            for (String line : lines.orElse(List.of())) {
                String[] fields = line.trim().split("\\s+");
                if (fields.length == 3) {
                    all.put(fields[0] + " " + Integer.parseInt(fields[1]), Long.parseLong(fields[2]));
                }
            }
        } catch (IOException | NumberFormatException e) {
            LOG.warn("Ignoring unreadable {} ({}): cleaning starts again from each log's start", path, e.getMessage());
        }
        return all;
    }

    private static void store(Path path, Map<String, Long> all) throws IOException {
        if (!Files.isDirectory(path.getParent())) {
            return; // the log dir went away (a test's temp dir, a failed disk)
        }
        List<String> lines = new ArrayList<>();
        all.forEach((k, v) -> lines.add(k + " " + v));
        new CheckpointFile(path).write(lines);
    }
}
