package io.cairn.storage.spi;

import java.io.IOException;
import java.nio.file.Path;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A way of keeping partition logs, registered as an OSGi service with the property
 * {@value #NAME_PROPERTY} naming it.
 *
 * <p>Implementations must be thread-safe: the kernel opens logs of different partitions
 * concurrently. An engine that is unregistered while logs it opened are still open must keep those
 * logs usable until the kernel closes them; the kernel closes every log of an engine it is about to
 * release. One partition is open at most once at a time, in one engine.
 */
@ConsumerType
public interface StorageEngine {

    /** The service property that names an engine, e.g. {@code segmented}, {@code memory}. */
    String NAME_PROPERTY = "cairn.name";

    /**
     * Opens the log of one partition: creates it if the directory holds none, recovers it after a
     * crash (see the engine's documentation for what survives), and otherwise loads it as it was
     * closed.
     *
     * @param partition the topic and partition this log holds
     * @param directory the partition's directory, {@code <log.dir>/<topic>-<partition>}, created if
     *     absent; engines that keep nothing on disk may ignore it
     * @param config the effective topic configuration
     * @return an open log; the caller closes it
     * @throws IOException if the log cannot be opened; the partition is then offline on this broker
     */
    PartitionLog open(TopicPartition partition, Path directory, LogConfig config) throws IOException;
}
