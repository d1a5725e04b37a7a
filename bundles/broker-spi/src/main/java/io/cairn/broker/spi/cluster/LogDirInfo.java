package io.cairn.broker.spi.cluster;

import java.util.List;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A log directory and the partitions it holds, as DescribeLogDirs reports it.
 *
 * @param path the absolute directory
 * @param totalBytes the file system's size, or -1 if unknown
 * @param usableBytes the file system's free space, or -1 if unknown
 * @param replicas the partition replicas in this directory
 */
@ProviderType
public record LogDirInfo(String path, long totalBytes, long usableBytes, List<Replica> replicas) {

    /**
     * One replica in a log directory.
     *
     * @param topic the topic
     * @param partition the partition
     * @param sizeBytes the log's size on disk
     * @param offsetLag how far the log end is behind the high watermark (0 for a leader)
     */
    @ProviderType
    public record Replica(String topic, int partition, long sizeBytes, long offsetLag) {
    }
}
