package io.cairn.storage.segmented.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Map;

import io.cairn.storage.spi.LogConfig;
import io.cairn.storage.spi.PartitionLog;
import io.cairn.storage.spi.TopicPartition;
import io.cairn.storage.spi.tck.TestBatches;

/**
 * The child process of {@link KillNineTest}: appends batches to a log until it is killed,
 * printing the log end offset after every append returns ("acknowledged").
 */
public final class AppendUntilKilled {

    private AppendUntilKilled() {
    }

    public static void main(String[] args) throws Exception {
        SegmentedStorageEngine engine = new SegmentedStorageEngine(Clock.systemUTC(), SegmentedStorageEngine.newScheduler(), 100);
        PartitionLog log = engine.open(new TopicPartition("killed", 0), Path.of(args[0]),
                LogConfig.of(Map.of(LogConfig.SEGMENT_BYTES, "65536", LogConfig.FLUSH_MESSAGES, "500")));
        while (true) {
            long end = log.append(TestBatches.batch(log.logEndOffset(), (int) (log.logEndOffset() / 1000), 1_000_000, 10, 200));
            System.out.println(end);
        }
    }
}
