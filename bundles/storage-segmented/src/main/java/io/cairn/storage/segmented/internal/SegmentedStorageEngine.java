package io.cairn.storage.segmented.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;
import java.util.concurrent.RunnableScheduledFuture;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.StorageEngine;
import io.cairn.storage.spi.TopicPartition;

/**
 * The segmented storage engine ({@code cairn.name=segmented}, the default): partition logs in
 * Kafka's on-disk format, so Kafka's own tools read them. See {@code docs/storage.md}.
 *
 * <p>Owns one scheduler thread shared by its logs for background work: flushing a segment once it
 * is rolled, {@code flush.ms}, and removing {@code .deleted} files after
 * {@code file.delete.delay.ms}. Retention is not scheduled here: the kernel calls
 * {@link PartitionLog#enforceRetention}.
 *
 * <p>Runs the {@link LogCleaner} for topics with {@code cleanup.policy=compact}: its threads start
 * with the component and stop with it.
 *
 * <p>Reads the broker configuration ({@code io.cairn.broker}) for
 * {@code log.flush.offset.checkpoint.interval.ms} (Kafka's key, default 60 s): how often a flush
 * also rewrites the recovery-point checkpoint, and for the {@code log.cleaner.*} keys
 * ({@link CleanerConfig}). A configuration change does not restart the engine; cleaner keys take
 * effect at the next activation.
 *
 * <p>Thread-safe; logs of different partitions are opened concurrently.
 */
@Component(service = StorageEngine.class, configurationPid = "io.cairn.broker",
        configurationPolicy = ConfigurationPolicy.OPTIONAL, property = StorageEngine.NAME_PROPERTY + "=segmented")
public final class SegmentedStorageEngine implements StorageEngine {

    static final String CHECKPOINT_INTERVAL_KEY = "log.flush.offset.checkpoint.interval.ms";
    private static final long DEFAULT_CHECKPOINT_INTERVAL_MS = 60_000;
    private static final Logger LOG = LoggerFactory.getLogger(SegmentedStorageEngine.class);

    private final Clock clock;
    private final ScheduledThreadPoolExecutor scheduler;
    private final LogCleaner cleaner;
    private volatile long checkpointIntervalMs;

    @Activate
    public SegmentedStorageEngine(Map<String, Object> config) {
        this(Clock.systemUTC(), newScheduler(), checkpointInterval(config), CleanerConfig.from(config));
        cleaner.start();
        LOG.debug("Segmented storage engine started (log cleaner: {})", cleaner.config());
    }

    /** For tests and benchmarks: an explicit clock and scheduler; the cleaner's threads are not started. */
    SegmentedStorageEngine(Clock clock, ScheduledThreadPoolExecutor scheduler, long checkpointIntervalMs) {
        this(clock, scheduler, checkpointIntervalMs, CleanerConfig.defaults());
    }

    /** For tests: the cleaner's threads are not started, {@link #cleaner()} is driven by hand. */
    SegmentedStorageEngine(Clock clock, ScheduledThreadPoolExecutor scheduler, long checkpointIntervalMs,
            CleanerConfig cleanerConfig) {
        this.clock = clock;
        this.scheduler = scheduler;
        this.checkpointIntervalMs = checkpointIntervalMs;
        this.cleaner = new LogCleaner(cleanerConfig, clock);
    }

    LogCleaner cleaner() {
        return cleaner;
    }

    static ScheduledThreadPoolExecutor newScheduler() {
        ScheduledThreadPoolExecutor executor = new ScheduledThreadPoolExecutor(1, r -> {
            Thread t = new Thread(r, "cairn-storage-segmented");
            t.setDaemon(true);
            return t;
        });
        executor.setRemoveOnCancelPolicy(true);
        return executor;
    }

    private static long checkpointInterval(Map<String, Object> config) {
        Object value = config.get(CHECKPOINT_INTERVAL_KEY);
        if (value == null || value.toString().isBlank()) {
            return DEFAULT_CHECKPOINT_INTERVAL_MS;
        }
        try {
            return Math.max(0, Long.parseLong(value.toString().trim()));
        } catch (NumberFormatException e) {
            LOG.warn("Ignoring {}={}: not a number", CHECKPOINT_INTERVAL_KEY, value);
            return DEFAULT_CHECKPOINT_INTERVAL_MS;
        }
    }

    @Modified
    void modified(Map<String, Object> config) {
        checkpointIntervalMs = checkpointInterval(config);
    }

    /**
     * Stops the scheduler. Pending one-off tasks (removing {@code .deleted} files, flushing a rolled
     * segment) run now instead of after their delay; periodic flush checks are dropped (the kernel
     * closes every log it opened, which flushes it). Nothing is interrupted: an interrupt during
     * file I/O would close the segment's channel for every reader.
     */
    @Deactivate
    public void deactivate() throws InterruptedException {
        cleaner.shutdown();
        scheduler.shutdown();
        // drainTo would take only tasks whose delay has passed: take each one out by hand.
        for (Runnable task : scheduler.getQueue().toArray(new Runnable[0])) {
            if (scheduler.remove(task) && task instanceof RunnableScheduledFuture<?> scheduled && !scheduled.isPeriodic()) {
                scheduled.run();
            }
        }
        if (!scheduler.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("Segmented storage engine: background tasks still running after 10 s");
        }
        LOG.debug("Segmented storage engine stopped");
    }

    @Override
    public PartitionLog open(TopicPartition partition, Path directory, LogConfig config) throws IOException {
        return SegmentedLog.open(partition, directory, config, clock, scheduler, checkpointIntervalMs, cleaner);
    }
}
