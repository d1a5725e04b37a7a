package io.cairn.group.coordinator.internal;

import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.tck.OffsetStoreContractTest;

/** The test store keeps the offset store contract, so what the coordinator tests show holds for real stores. */
class MemoryOffsetStoreContractTest extends OffsetStoreContractTest {

    @Override
    protected OffsetStore createStore() {
        return new MemoryOffsetStore();
    }
}
