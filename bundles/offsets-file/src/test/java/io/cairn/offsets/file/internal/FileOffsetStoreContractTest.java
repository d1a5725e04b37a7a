package io.cairn.offsets.file.internal;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;

import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.tck.OffsetStoreContractTest;

/** The file store keeps the offset store contract, across restarts too. */
class FileOffsetStoreContractTest extends OffsetStoreContractTest {

    @TempDir
    Path tmp;

    private Map<String, Object> config() {
        return Map.of("cairn.offsets.file.dir", tmp.resolve("offsets").toString());
    }

    @Override
    protected OffsetStore createStore() throws Exception {
        Files.createDirectories(tmp);
        return new FileOffsetStore(config());
    }

    @Override
    protected OffsetStore reopen(OffsetStore old) throws Exception {
        ((FileOffsetStore) old).deactivate();
        return new FileOffsetStore(config());
    }

    @Override
    protected void close(OffsetStore store) throws Exception {
        ((FileOffsetStore) store).deactivate();
    }
}
