package io.cairn.storage.memory.internal;

import io.cairn.storage.spi.StorageEngine;
import io.cairn.storage.spi.tck.PartitionLogContract;

/** The in-memory engine keeps the storage contract (except persistence, which it does not offer). */
class MemoryLogContractTest extends PartitionLogContract {

    @Override
    protected StorageEngine createEngine() {
        return new MemoryStorageEngine();
    }

    @Override
    protected boolean persistent() {
        return false;
    }
}
