package io.cairn.storage.segmented.internal;

import java.time.Clock;

import io.cairn.storage.spi.StorageEngine;
import io.cairn.storage.spi.tck.PartitionLogContract;

/** The segmented engine keeps the storage contract. */
class SegmentedLogContractTest extends PartitionLogContract {

    @Override
    protected StorageEngine createEngine() {
        return new SegmentedStorageEngine(Clock.systemUTC(), SegmentedStorageEngine.newScheduler(), 60_000);
    }

    @Override
    protected void disposeEngine(StorageEngine engine) throws Exception {
        ((SegmentedStorageEngine) engine).deactivate();
    }

    @Override
    protected boolean persistent() {
        return true;
    }
}
