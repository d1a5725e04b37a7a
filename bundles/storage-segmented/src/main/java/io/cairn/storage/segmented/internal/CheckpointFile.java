package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Kafka's checkpoint file format, shared by {@code leader-epoch-checkpoint} and the offset
 * checkpoints: a version line ({@code 0}), a line with the number of entries, then one entry per
 * line (fields separated by single spaces).
 *
 * <p>Writes are atomic: a temporary file is written and forced, then renamed over the old one, so
 * a crash leaves either the old or the new content, never a mix. The directory is not forced:
 * after a power loss the old file may come back, which is always safe for what is kept here (an
 * older recovery point means more scanning, never trusting too much).
 *
 * <p>Thread-safe as far as each call goes; callers serialise writes of one file.
 */
final class CheckpointFile {

    private static final int VERSION = 0;

    private final Path file;

    CheckpointFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    void write(List<String> entries) throws IOException {
        StringBuilder text = new StringBuilder().append(VERSION).append('\n').append(entries.size()).append('\n');
        entries.forEach(e -> text.append(e).append('\n'));
        Path tmp = file.resolveSibling(file.getFileName() + LogFiles.TMP_SUFFIX);
        try (FileChannel channel = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.TRUNCATE_EXISTING)) {
            var bytes = java.nio.ByteBuffer.wrap(text.toString().getBytes(StandardCharsets.UTF_8));
            while (bytes.hasRemaining()) {
                channel.write(bytes);
            }
            channel.force(true);
        }
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * The entries, or empty if the file does not exist.
     *
     * @throws IOException if the file exists but is not a well-formed version-0 checkpoint
     */
    Optional<List<String>> read() throws IOException {
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            return Optional.empty();
        }
        try {
            if (lines.size() < 2 || Integer.parseInt(lines.get(0).trim()) != VERSION) {
                throw new IOException("Not a version " + VERSION + " checkpoint: " + file);
            }
            int count = Integer.parseInt(lines.get(1).trim());
            if (count < 0 || lines.size() < 2 + count) {
                throw new IOException("Checkpoint " + file + " announces " + count + " entries, has " + (lines.size() - 2));
            }
            return Optional.of(new ArrayList<>(lines.subList(2, 2 + count)));
        } catch (NumberFormatException e) {
            throw new IOException("Malformed checkpoint " + file, e);
        }
    }
}
