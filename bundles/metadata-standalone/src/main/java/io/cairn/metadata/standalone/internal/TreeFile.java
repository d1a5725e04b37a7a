package io.cairn.metadata.standalone.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Base64;
import java.util.Map;
import java.util.TreeMap;
import java.util.zip.CRC32C;

import io.cairn.broker.spi.metadata.MetadataNode;

/**
 * The file that holds the persistent nodes of the standalone metadata tree.
 *
 * <p>Format (UTF-8 text): a line {@code cairn-metadata 1}, one line per node
 * {@code <path> TAB <version> TAB <base64 data>}, and a last line {@code crc32c <hex>} over
 * everything before it. A write goes to {@code <file>.tmp}, is fsynced, and atomically replaces the
 * file, and the directory is fsynced: after a crash the file is either the old or the new tree.
 * A file whose checksum does not match is refused, never half-read: losing cluster metadata
 * silently would be worse than not starting.
 *
 * <p>Not thread-safe; {@link MetadataTree} calls it under its lock.
 */
final class TreeFile {

    private static final String HEADER = "cairn-metadata 1";

    private final Path file;

    TreeFile(Path file) {
        this.file = file;
    }

    Path path() {
        return file;
    }

    /** Reads the persisted nodes; empty if the file does not exist yet. */
    Map<String, MetadataNode> load() throws IOException {
        Map<String, MetadataNode> nodes = new TreeMap<>();
        if (!Files.exists(file)) {
            return nodes;
        }
        String text = Files.readString(file, StandardCharsets.UTF_8);
        int trailer = text.lastIndexOf("crc32c ");
        if (!text.startsWith(HEADER + "\n") || trailer < 0) {
            throw new IOException(file + " is not a Cairn metadata file (bad header or missing checksum)");
        }
        String body = text.substring(0, trailer);
        String expected = text.substring(trailer + "crc32c ".length()).trim();
        if (!crc(body).equals(expected)) {
            throw new IOException(file + " is corrupt: checksum " + crc(body) + " != " + expected);
        }
        String[] lines = body.split("\n");
        for (int i = 1; i < lines.length; i++) {
            String[] f = lines[i].split("\t", -1);
            if (f.length != 3) {
                throw new IOException(file + ": line " + (i + 1) + " is malformed");
            }
            byte[] data = Base64.getDecoder().decode(f[2]);
            nodes.put(f[0], new MetadataNode(f[0], data, Integer.parseInt(f[1]), false));
        }
        return nodes;
    }

    /** Replaces the file with these nodes, durably. */
    void store(Map<String, MetadataNode> nodes) {
        StringBuilder body = new StringBuilder(HEADER).append('\n');
        nodes.values().forEach(n -> body.append(n.path()).append('\t').append(n.version()).append('\t')
                .append(Base64.getEncoder().encodeToString(n.data())).append('\n'));
        String text = body + "crc32c " + crc(body.toString()) + "\n";
        Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
        try {
            Files.createDirectories(file.getParent());
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer buf = ByteBuffer.wrap(text.getBytes(StandardCharsets.UTF_8));
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
                ch.force(true);
            }
            try {
                Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
            }
            syncDirectory(file.getParent());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + file, e);
        }
    }

    private static void syncDirectory(Path dir) {
        // fsync of a directory makes the rename durable on Linux; other systems may refuse it.
        try (FileChannel ch = FileChannel.open(dir, StandardOpenOption.READ)) {
            ch.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // best effort where the platform cannot open directories
        }
    }

    private static String crc(String s) {
        CRC32C crc = new CRC32C();
        crc.update(s.getBytes(StandardCharsets.UTF_8));
        return Long.toHexString(crc.getValue());
    }
}
