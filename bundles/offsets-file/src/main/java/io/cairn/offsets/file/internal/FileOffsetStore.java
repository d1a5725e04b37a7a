package io.cairn.offsets.file.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.offsets.CommittedOffset;
import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * The local offset store ({@code cairn.name=file}), the single-broker default: a write-ahead log
 * with compacted snapshots ({@link OffsetLog}) in {@code <first log dir>/__cairn_offsets/}.
 *
 * <p>Broker keys (PID {@code io.cairn.broker}), read at activation:
 * <ul>
 * <li>{@code cairn.offsets.file.dir}: the directory, instead of the one under the first log dir;</li>
 * <li>{@code cairn.offsets.file.fsync.interval.ms}: 0 (default) fsyncs every commit before it is
 * acknowledged; a positive value fsyncs in the background at that period instead (faster, but a
 * machine crash may lose that much);</li>
 * <li>{@code cairn.offsets.file.compact.bytes}: log size that triggers a new snapshot (64 MiB).</li>
 * </ul>
 * Other broker keys change without restarting the store ({@code @Modified}), so that switching
 * {@code cairn.offsets.store} away and back does not bounce it.
 *
 * <p>Thread-safe.
 */
@Component(service = OffsetStore.class, configurationPid = "io.cairn.broker",
        configurationPolicy = ConfigurationPolicy.REQUIRE, property = OffsetStore.NAME_PROPERTY + "=file")
public final class FileOffsetStore implements OffsetStore {

    private static final Logger LOG = LoggerFactory.getLogger(FileOffsetStore.class);

    /** 64 MiB of log between snapshots: a few seconds to replay at start. */
    static final long DEFAULT_COMPACT_BYTES = 64L * 1024 * 1024;

    private final Path dir;
    private final OffsetLog log;

    @Activate
    public FileOffsetStore(Map<String, Object> config) throws IOException {
        this.dir = directory(config);
        this.log = OffsetLog.open(dir, number(config, "cairn.offsets.file.fsync.interval.ms", 0),
                number(config, "cairn.offsets.file.compact.bytes", DEFAULT_COMPACT_BYTES));
    }

    @Modified
    void modified(Map<String, Object> config) {
        if (!directory(config).equals(dir)) {
            LOG.warn("The file offset store stays in {} until it restarts", dir);
        }
    }

    @Deactivate
    void deactivate() throws IOException {
        log.close();
    }

    /** {@code cairn.offsets.file.dir}, else {@code __cairn_offsets} in the first log dir. */
    static Path directory(Map<String, ?> config) {
        Object explicit = config.get("cairn.offsets.file.dir");
        if (explicit != null && !explicit.toString().isBlank()) {
            return Path.of(explicit.toString().trim()).toAbsolutePath();
        }
        Object dirs = config.get("log.dirs");
        if (dirs == null || dirs.toString().isBlank()) {
            dirs = config.get("log.dir");
        }
        Object working = config.get("cairn.working.dir");
        Path base = Path.of(working == null ? System.getProperty("user.dir") : working.toString());
        Path logDir;
        if (dirs != null && !dirs.toString().isBlank()) {
            logDir = base.resolve(dirs.toString().split(",")[0].trim());
        } else if (config.get("cairn.home") != null) {
            logDir = Path.of(config.get("cairn.home").toString()).resolve("data");
        } else {
            logDir = base.resolve("data");
        }
        return logDir.resolve("__cairn_offsets").toAbsolutePath().normalize();
    }

    private static long number(Map<String, ?> config, String key, long fallback) {
        Object v = config.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        try {
            return Long.parseLong(v.toString().trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, was '" + v + "'");
        }
    }

    @Override
    public void commit(String groupId, Collection<CommittedOffset> offsets) throws IOException {
        if (!offsets.isEmpty()) {
            log.write(OffsetRecord.commit(groupId, List.copyOf(offsets)));
        }
    }

    @Override
    public List<CommittedOffset> fetch(String groupId) throws IOException {
        return log.fetch(groupId);
    }

    @Override
    public Set<String> groups() throws IOException {
        return log.groups();
    }

    @Override
    public void delete(String groupId, Collection<PartitionKey> partitions) throws IOException {
        // Nothing to write for partitions without offsets: keeps retention passes from growing the log.
        if (log.has(groupId, partitions)) {
            log.write(OffsetRecord.delete(groupId, List.copyOf(partitions)));
        }
    }

    @Override
    public void deleteGroup(String groupId) throws IOException {
        if (log.has(groupId)) {
            log.write(OffsetRecord.deleteGroup(groupId));
        }
    }

    /** The store's log, for tests. */
    OffsetLog log() {
        return log;
    }
}
