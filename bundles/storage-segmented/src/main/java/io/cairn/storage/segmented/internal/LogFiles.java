package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * Kafka's file names in a partition directory: {@code <20-digit base offset>.log}, {@code .index},
 * {@code .timeindex}, and the {@code .deleted} suffix of files waiting for asynchronous removal.
 */
final class LogFiles {

    static final String LOG_SUFFIX = ".log";
    static final String INDEX_SUFFIX = ".index";
    static final String TIME_INDEX_SUFFIX = ".timeindex";
    static final String DELETED_SUFFIX = ".deleted";
    static final String TMP_SUFFIX = ".tmp";
    /** A segment file the cleaner is writing: removed on open (the cleaning is rolled back). */
    static final String CLEANED_SUFFIX = ".cleaned";
    /** A cleaned segment file being swapped in: on open, the swap is finished. */
    static final String SWAP_SUFFIX = ".swap";
    /** Per log dir: Kafka's file of "topic partition offset" lines, where each log's dirty section starts. */
    static final String CLEANER_CHECKPOINT = "cleaner-offset-checkpoint";
    /** Written by a clean close, removed by open: its presence means "nothing to recover". */
    static final String CLEAN_SHUTDOWN = ".cairn_cleanshutdown";
    static final String RECOVERY_POINT_CHECKPOINT = "recovery-point-offset-checkpoint";
    static final String LOG_START_CHECKPOINT = "log-start-offset-checkpoint";
    static final String LEADER_EPOCH_CHECKPOINT = "leader-epoch-checkpoint";

    private LogFiles() {
    }

    /** The 20-digit, zero-padded decimal form Kafka names segment files with. */
    static String baseName(long baseOffset) {
        return String.format("%020d", baseOffset);
    }

    static Path log(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + LOG_SUFFIX);
    }

    static Path offsetIndex(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + INDEX_SUFFIX);
    }

    static Path timeIndex(Path dir, long baseOffset) {
        return dir.resolve(baseName(baseOffset) + TIME_INDEX_SUFFIX);
    }

    /** The base offset a segment file is named after, or -1 if the name is not a segment file's. */
    static long baseOffsetOf(String fileName, String suffix) {
        if (!fileName.endsWith(suffix)) {
            return -1;
        }
        String digits = fileName.substring(0, fileName.length() - suffix.length());
        if (digits.length() != 20 || !digits.chars().allMatch(Character::isDigit)) {
            return -1;
        }
        try {
            return Long.parseLong(digits);
        } catch (NumberFormatException e) {
            return -1; // 20 digits above Long.MAX_VALUE
        }
    }

    static Path suffixed(Path file, String suffix) {
        return file.resolveSibling(file.getFileName() + suffix);
    }

    /** Atomic rename, replacing the target. */
    static void rename(Path from, Path to) throws IOException {
        java.nio.file.Files.move(from, to, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    /** Makes the directory's entries (creations, renames, removals) durable. */
    static void fsyncDirectory(Path dir) throws IOException {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ)) {
            channel.force(true);
        }
    }
}
