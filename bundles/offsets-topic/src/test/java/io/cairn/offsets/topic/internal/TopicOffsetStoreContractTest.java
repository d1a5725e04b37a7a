package io.cairn.offsets.topic.internal;

import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.tck.OffsetStoreContractTest;

/** The topic store keeps the offset store contract; a restart reloads everything from the topic. */
class TopicOffsetStoreContractTest extends OffsetStoreContractTest {

    private final FakeBroker broker = new FakeBroker();

    @Override
    protected OffsetStore createStore() throws Exception {
        return new TopicOffsetStore(broker, 5, (short) 3, 1_000);
    }

    @Override
    protected OffsetStore reopen(OffsetStore old) throws Exception {
        return new TopicOffsetStore(broker, 5, (short) 3, 1_000);
    }
}
