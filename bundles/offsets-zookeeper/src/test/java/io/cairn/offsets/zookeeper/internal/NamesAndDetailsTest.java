package io.cairn.offsets.zookeeper.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.Optional;

import org.apache.zookeeper.common.PathUtils;
import org.junit.jupiter.api.Test;

/** Node names, the details JSON and the connect string, against ZooKeeper's own path rules. */
class NamesAndDetailsTest {

    @Test
    void plainNamesAreKeptAndOthersEncodedReversibly() throws Exception {
        assertEquals("my-group.v2_x", OffsetTree.encode("my-group.v2_x"));
        assertEquals("ünïcødé ✓", OffsetTree.encode("ünïcødé ✓"));
        // Names arrive as UTF-8 on the wire, so they never hold a lone surrogate.
        for (String name : List.of("a/b", "", ".", "..", "%", "50%", "%41", "tab\t", "\u0000", "\u007f",
                "\uD83D\uDE00", "\uFFFF", "x\u0085y", "\uE000private")) {
            String node = OffsetTree.encode(name);
            PathUtils.validatePath("/" + node); // ZooKeeper accepts it
            assertEquals(name, OffsetTree.decode(node), "round trip of " + name);
        }
        assertEquals("50%off", OffsetTree.decode("50%off"), "not an encoding: taken as it is");
    }

    @Test
    void partitionNames() {
        assertEquals(Optional.of(0), OffsetTree.partitionOf("0"));
        assertEquals(Optional.of(2147483647), OffsetTree.partitionOf("2147483647"));
        for (String bad : List.of("", "-1", "2147483648", "1a", "x")) {
            assertEquals(Optional.empty(), OffsetTree.partitionOf(bad), bad);
        }
    }

    @Test
    void detailsRoundTripExactly() {
        for (String metadata : List.of("", "plain", "q\"u\\o/te", "\n\r\t\b\f\u0001", "ünïcødé ✓", "\uD83D\uDE00",
                "lone \uD800 surrogate", "{\"json\":[1]}")) {
            OffsetDetails d = new OffsetDetails(Long.MAX_VALUE, Integer.MIN_VALUE, metadata, -1);
            assertEquals(Optional.of(d), OffsetDetails.parse(d.toJson()), metadata);
        }
    }

    @Test
    void detailsThatAreNotSuchAnObjectAreEmpty() {
        for (String bad : List.of("", "42", "{", "{}", "{\"offset\":1}", "[1]", "{\"offset\":\"1\",\"leader_epoch\":0,"
                + "\"metadata\":\"\",\"commit_timestamp\":0}", "{\"offset\":1,\"leader_epoch\":9999999999,"
                + "\"metadata\":\"\",\"commit_timestamp\":0}", "{\"offset\":1,\"leader_epoch\":0,\"metadata\":\"\","
                + "\"commit_timestamp\":0} x")) {
            assertEquals(Optional.empty(), OffsetDetails.parse(bad.getBytes(StandardCharsets.UTF_8)), bad);
        }
        assertTrue(OffsetDetails.parse(("{ \"version\" : 2, \"offset\" : 1, \"leader_epoch\" : -1, \"metadata\" : \"m\","
                + " \"commit_timestamp\" : 5, \"future\" : \"ignored\" }").getBytes(StandardCharsets.UTF_8)).isPresent());
    }

    @Test
    void connectStringAndChroot() {
        assertEquals(Optional.empty(), ZooKeeperSettings.of(Map.of()));
        assertEquals(Optional.empty(), ZooKeeperSettings.of(Map.of("zookeeper.connect", " ")));
        ZooKeeperSettings plain = ZooKeeperSettings.of(Map.of("zookeeper.connect", "a:2181,b:2181")).orElseThrow();
        assertEquals("a:2181,b:2181", plain.hosts());
        assertEquals("", plain.chroot());
        assertEquals(18000, plain.sessionTimeoutMs());
        assertEquals(5000, plain.operationTimeoutMs());
        ZooKeeperSettings chrooted = ZooKeeperSettings.of(Map.of("zookeeper.connect", "a:2181/kafka/prod/",
                "offsets.commit.timeout.ms", "700")).orElseThrow();
        assertEquals("a:2181", chrooted.hosts());
        assertEquals("/kafka/prod", chrooted.chroot());
        assertEquals(700, chrooted.operationTimeoutMs());
        assertThrows(IllegalArgumentException.class, () -> ZooKeeperSettings.of(Map.of("zookeeper.connect", "/x")));
        assertThrows(IllegalArgumentException.class,
                () -> ZooKeeperSettings.of(Map.of("zookeeper.connect", "a:1", "offsets.commit.timeout.ms", "0")));
    }
}
