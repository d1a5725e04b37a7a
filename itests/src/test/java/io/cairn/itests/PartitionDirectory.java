package io.cairn.itests;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** What a test can see of a partition's directory under a broker's log dir. */
final class PartitionDirectory {

    private PartitionDirectory() {
    }

    /** The bytes of the partition's segment files ({@code *.log}), indexes not counted. */
    static long bytesOfSegments(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.filter(p -> p.getFileName().toString().endsWith(".log")).mapToLong(p -> p.toFile().length()).sum();
        }
    }
}
