package io.cairn.metadata.standalone.internal;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.cairn.broker.spi.metadata.MetadataException;
import io.cairn.broker.spi.metadata.MetadataException.Code;
import io.cairn.broker.spi.metadata.MetadataStore;
import io.cairn.broker.spi.metadata.MetadataWatcher.Event;

class StandaloneMetadataStoreTest {

    @TempDir
    Path dir;

    private StandaloneMetadataStore open() throws IOException {
        return new StandaloneMetadataStore(Map.of("log.dirs", dir.toString()));
    }

    @Test
    void persistentNodesSurviveARestartAndEphemeralsDoNot() throws Exception {
        StandaloneMetadataStore store = open();
        store.create("/brokers/topics/orders", "{\"version\":2}".getBytes(UTF_8), false, true);
        store.setData("/brokers/topics/orders", "{\"version\":3}".getBytes(UTF_8), 0);
        store.create("/brokers/ids/1", "{}".getBytes(UTF_8), true, true);
        store.deactivate();

        StandaloneMetadataStore again = open();
        var node = again.get("/brokers/topics/orders").orElseThrow();
        assertArrayEquals("{\"version\":3}".getBytes(UTF_8), node.data());
        assertEquals(1, node.version());
        assertFalse(again.get("/brokers/ids/1").isPresent(), "ephemeral node outlived its session");
        assertTrue(again.get("/brokers/ids").isPresent(), "persistent parent of an ephemeral was lost");
        assertEquals(List.of("ids", "topics"), again.children("/brokers"));
        assertTrue(Files.exists(dir.resolve("cairn-metadata.tree")));
        again.deactivate();
    }

    @Test
    void compareAndSetRefusesAStaleVersion() throws Exception {
        StandaloneMetadataStore store = open();
        store.create("/controller_epoch", "1".getBytes(UTF_8), false, false);
        assertEquals(1, store.setData("/controller_epoch", "2".getBytes(UTF_8), 0));
        MetadataException e = assertThrows(MetadataException.class,
                () -> store.setData("/controller_epoch", "3".getBytes(UTF_8), 0));
        assertEquals(Code.BAD_VERSION, e.code());
        assertEquals(Code.NODE_EXISTS, assertThrows(MetadataException.class,
                () -> store.create("/controller_epoch", new byte[0], false, false)).code());
        assertEquals(Code.NO_NODE, assertThrows(MetadataException.class,
                () -> store.create("/a/b", new byte[0], false, false)).code());
        store.create("/a/b", new byte[0], false, true);
        assertEquals(Code.NOT_EMPTY, assertThrows(MetadataException.class,
                () -> store.delete("/a", MetadataStore.ANY_VERSION)).code());
        store.create("/e", new byte[0], true, false);
        assertEquals(Code.NO_CHILDREN_FOR_EPHEMERALS, assertThrows(MetadataException.class,
                () -> store.create("/e/x", new byte[0], false, false)).code());
        store.deactivate();
    }

    @Test
    void watchersHearChangesInOrder() throws Exception {
        StandaloneMetadataStore store = open();
        LinkedBlockingQueue<String> heard = new LinkedBlockingQueue<>();
        store.watch("/brokers/ids", (p, e) -> heard.add(p + " " + e));
        store.watch("/brokers/ids/7", (p, e) -> heard.add(p + " " + e));
        store.create("/brokers/ids/7", new byte[0], true, true);
        store.setData("/brokers/ids/7", "x".getBytes(UTF_8), 0);
        store.delete("/brokers/ids/7", 1);
        List<String> expected = List.of("/brokers/ids " + Event.CREATED, "/brokers/ids/7 " + Event.CREATED,
                "/brokers/ids " + Event.CHILDREN_CHANGED, "/brokers/ids/7 " + Event.DATA_CHANGED,
                "/brokers/ids/7 " + Event.DELETED, "/brokers/ids " + Event.CHILDREN_CHANGED);
        for (String e : expected) {
            assertEquals(e, heard.poll(5, TimeUnit.SECONDS));
        }
        store.deactivate();
    }

    @Test
    void aCorruptFileIsRefusedNotHalfRead() throws Exception {
        StandaloneMetadataStore store = open();
        store.create("/cluster/id", "{\"id\":\"abc\"}".getBytes(UTF_8), false, true);
        store.deactivate();
        Path file = dir.resolve("cairn-metadata.tree");
        String text = Files.readString(file);
        Files.writeString(file, text.replace("/cluster/id", "/cluster/xx"));
        IOException e = assertThrows(IOException.class, this::open);
        assertTrue(e.getMessage().contains("corrupt"), e.getMessage());
    }

    @Test
    void badPathsAreRejected() throws Exception {
        StandaloneMetadataStore store = open();
        for (String bad : List.of("", "x", "/a/", "//a", "/a/../b", "/a\u0000b")) {
            assertThrows(IllegalArgumentException.class, () -> store.get(bad), bad);
        }
        store.deactivate();
    }
}
