package io.cairn.launcher;

import java.io.IOException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.ThreadLocalRandom;

/**
 * The per-process scratch directory, {@code <java.io.tmpdir>/cairn-<pid>-<random>}: the framework
 * cache ({@code felix-cache/}) and the process's temporary files ({@code tmp/}, where
 * {@code java.io.tmpdir} is pointed so that the codecs' extracted native libraries are not left in
 * the system's temp directory, OSGI-NOTES P15). A fresh one per process, so several brokers can run
 * from one installation; deleted when the process ends normally.
 *
 * <p>Created with {@link Files#createDirectory} rather than {@link Files#createTempDirectory} on
 * purpose: the latter fixes the JDK's idea of the temp directory before the launcher redirects it.
 *
 * <p>Thread-safe; {@link #delete()} runs at most once.
 */
final class RunDirectory {

    private final Path root;
    private boolean deleted;

    private RunDirectory(Path root) {
        this.root = root;
    }

    static RunDirectory create(Path parent) throws LaunchException {
        long pid = ProcessHandle.current().pid();
        for (int attempt = 0; ; attempt++) {
            Path candidate = parent.resolve("cairn-" + pid + "-" + Long.toHexString(ThreadLocalRandom.current().nextLong()));
            try {
                Files.createDirectories(parent);
                Files.createDirectory(candidate);
                Files.createDirectory(candidate.resolve("tmp"));
                return new RunDirectory(candidate);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 10) {
                    throw new LaunchException("Cannot create a scratch directory in " + parent + ": " + e.getMessage(), e);
                }
            } catch (IOException e) {
                throw new LaunchException("Cannot create a scratch directory in " + parent + ": " + e.getMessage(), e);
            }
        }
    }

    Path frameworkCache() {
        return root.resolve("felix-cache");
    }

    Path temp() {
        return root.resolve("tmp");
    }

    /**
     * Deletes the directory and everything in it; best effort, once. A second caller (the shutdown
     * hook racing the main thread) waits until the first is done, so the JVM does not exit halfway.
     */
    synchronized void delete() {
        if (deleted) {
            return;
        }
        deleted = true;
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    Files.deleteIfExists(dir);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException e) {
            System.err.println("Could not delete " + root + ": " + e);
        }
    }

    @Override
    public String toString() {
        return root.toString();
    }
}
