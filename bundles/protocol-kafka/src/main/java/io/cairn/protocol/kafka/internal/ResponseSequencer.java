package io.cairn.protocol.kafka.internal;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;

/**
 * Keeps one connection's responses in request order, as the Kafka protocol requires: a client may
 * pipeline requests, and it matches responses to requests by order as much as by correlation id.
 * Each request takes a slot when it arrives; a slot may be filled out of order (a handler may
 * complete later than one after it), but responses leave only from the head.
 *
 * <p>A response may be "none" ({@link KafkaResponse#hasBody()} false: {@code acks=0} produce); it
 * keeps its place in the order and is skipped when written.
 *
 * <p>Thread-safety: not thread-safe; confined to the connection's event loop.
 */
final class ResponseSequencer {

    /** The place of one request in the order. */
    static final class Slot {
        private final KafkaRequest request;
        private KafkaResponse response;

        private Slot(KafkaRequest request) {
            this.request = request;
        }

        KafkaRequest request() {
            return request;
        }
    }

    private final ArrayDeque<Slot> slots = new ArrayDeque<>();

    /** Takes the next slot, for {@code request}. */
    Slot open(KafkaRequest request) {
        Slot slot = new Slot(request);
        slots.addLast(slot);
        return slot;
    }

    /** Fills {@code slot} with its response. */
    void fill(Slot slot, KafkaResponse response) {
        if (slot.response != null) {
            throw new IllegalStateException("response to correlation id " + slot.request.correlationId()
                    + " already given");
        }
        slot.response = response;
    }

    /** Removes and returns the filled slots' responses from the head, in request order. */
    List<KafkaResponse> drainReady() {
        List<KafkaResponse> ready = new ArrayList<>();
        while (!slots.isEmpty() && slots.peekFirst().response != null) {
            ready.add(slots.pollFirst().response);
        }
        return ready;
    }

    /** Requests received and not yet answered in order. */
    int pending() {
        return slots.size();
    }

    /**
     * Forgets every slot, e.g. when the connection closed, releasing what the responses already
     * given hold (their log regions will never be sent).
     */
    void clear() {
        for (Slot slot : slots) {
            if (slot.response != null) {
                slot.response.release();
            }
        }
        slots.clear();
    }
}
