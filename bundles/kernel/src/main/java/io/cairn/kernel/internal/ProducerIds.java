package io.cairn.kernel.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ProducerIdentity;
import io.cairn.broker.spi.metadata.MetadataException;
import io.cairn.broker.spi.metadata.MetadataNode;
import io.cairn.broker.spi.metadata.MetadataStore;

/**
 * Hands out producer ids from blocks reserved in {@code /latest_producer_id_block}, Kafka's
 * ZooKeeper-mode scheme: each broker claims {@value #BLOCK} ids at a time with compare-and-set, so
 * ids are unique across the cluster and across restarts. Thread-safe (synchronized).
 */
final class ProducerIds {

    static final String PATH = "/latest_producer_id_block";
    /** Kafka's block size ({@code ProducerIdsBlock.PRODUCER_ID_BLOCK_SIZE}). */
    static final int BLOCK = 1000;

    private final MetadataStore store;
    private final int brokerId;
    private long next;
    private long end = -1;

    ProducerIds(MetadataStore store, int brokerId) {
        this.store = store;
        this.brokerId = brokerId;
    }

    synchronized ProducerIdentity next() {
        if (next > end) {
            claimBlock();
        }
        return new ProducerIdentity(next++, (short) 0);
    }

    private void claimBlock() {
        for (int attempt = 0; attempt < 100; attempt++) {
            try {
                Optional<MetadataNode> node = store.get(PATH);
                long start = node.map(n -> Long.parseLong(String.valueOf(ZkLayout.object(n.data()).get("block_end"))) + 1)
                        .orElse(0L);
                Map<String, Object> doc = new LinkedHashMap<>();
                doc.put("version", 1);
                doc.put("broker", brokerId);
                doc.put("block_start", Long.toString(start));
                doc.put("block_end", Long.toString(start + BLOCK - 1));
                if (node.isPresent()) {
                    store.setData(PATH, ZkLayout.bytes(doc), node.get().version());
                } else {
                    store.create(PATH, ZkLayout.bytes(doc), false, false);
                }
                next = start;
                end = start + BLOCK - 1;
                return;
            } catch (MetadataException e) {
                if (e.code() != MetadataException.Code.BAD_VERSION && e.code() != MetadataException.Code.NODE_EXISTS) {
                    throw new BrokerException(BrokerError.UNKNOWN_SERVER_ERROR, "Cannot reserve producer ids: " + e.getMessage());
                }
                // another broker claimed a block first: read again
            }
        }
        throw new BrokerException(BrokerError.UNKNOWN_SERVER_ERROR, "Cannot reserve producer ids: too much contention");
    }
}
