package io.cairn.group.coordinator.internal;

import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/**
 * Reads the subscribed topics out of a consumer's JoinGroup metadata (Kafka's
 * {@code ConsumerProtocolSubscription}: int16 version, int32 topic count, int16-length UTF-8
 * topic names, then fields this class does not need). The coordinator otherwise passes protocol
 * metadata through untouched; it looks at the topics only to decide which committed offsets a
 * stable group still uses (retention, OffsetDelete), as Kafka's coordinator does.
 *
 * <p>Stateless and thread-safe.
 */
final class ConsumerSubscriptions {

    /** The protocol type of Kafka consumers. */
    static final String PROTOCOL_TYPE = "consumer";

    private ConsumerSubscriptions() {
    }

    /** The topics in a subscription, or empty if the bytes are not a subscription this class can read. */
    static Optional<List<String>> topics(byte[] metadata) {
        try {
            ByteBuffer b = ByteBuffer.wrap(metadata);
            short version = b.getShort();
            if (version < 0) {
                return Optional.empty();
            }
            int count = b.getInt();
            if (count < 0 || count > b.remaining() / 2) {
                return Optional.empty();
            }
            List<String> topics = new ArrayList<>(count);
            for (int i = 0; i < count; i++) {
                int len = b.getShort();
                if (len < 0 || len > b.remaining()) {
                    return Optional.empty();
                }
                byte[] name = new byte[len];
                b.get(name);
                topics.add(new String(name, StandardCharsets.UTF_8));
            }
            return Optional.of(topics);
        } catch (BufferUnderflowException e) {
            return Optional.empty();
        }
    }
}
