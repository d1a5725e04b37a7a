package io.cairn.storage.memory.internal;

import java.nio.file.Path;

import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.StorageEngine;
import io.cairn.storage.spi.TopicPartition;

/**
 * The in-memory storage engine ({@code cairn.name=memory}): each partition's batches live on the
 * heap for as long as its log is open, and nothing is written to disk. For tests and ephemeral
 * topics; a broker restart or closing the log loses the records.
 *
 * <p>Thread-safe and stateless: every {@link #open} makes a new, empty log.
 */
@Component(service = StorageEngine.class, property = StorageEngine.NAME_PROPERTY + "=memory")
public final class MemoryStorageEngine implements StorageEngine {

    private static final Logger LOG = LoggerFactory.getLogger(MemoryStorageEngine.class);

    @Override
    public PartitionLog open(TopicPartition partition, Path directory, LogConfig config) {
        LOG.debug("Opening in-memory log of {}", partition);
        return new MemoryLog(partition, config);
    }
}
