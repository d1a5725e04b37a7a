package io.cairn.protocol.kafka.internal;

/**
 * The life of one client connection, driven by {@link KafkaConnection}:
 *
 * <pre>
 * CONNECTED ──first request──▶ SERVING
 *     │                           │
 *     └──── violation / error ────┴──▶ CLOSING ──channel inactive──▶ CLOSED
 * (the peer going away moves any state straight to CLOSED)
 * </pre>
 *
 * <p>Only {@link #CONNECTED} and {@link #SERVING} accept requests; once closing is decided, frames
 * still buffered are dropped unanswered, and no further failure is logged. Requests accepted
 * before a protocol violation are still answered while {@link #CLOSING}, for a bounded time.
 *
 * <p>Thread-safety: immutable constants.
 */
enum ConnectionState {

    /** Accepted; no request received yet. */
    CONNECTED,

    /** At least one request received; responses flow in request order. */
    SERVING,

    /** Closing was decided (protocol violation or failure); waiting for the channel to close. */
    CLOSING,

    /** The channel is closed. Terminal. */
    CLOSED;

    /** Whether a request received in this state is handled. */
    boolean acceptsRequests() {
        return this == CONNECTED || this == SERVING;
    }

    /**
     * The state after moving to {@code next}.
     *
     * @throws IllegalStateException if the machine does not allow that move
     */
    ConnectionState transitionTo(ConnectionState next) {
        boolean allowed = switch (this) {
            case CONNECTED -> next != CONNECTED;
            case SERVING -> next != CONNECTED;
            case CLOSING -> next == CLOSING || next == CLOSED;
            case CLOSED -> next == CLOSED;
        };
        if (!allowed) {
            throw new IllegalStateException("connection cannot move from " + this + " to " + next);
        }
        return next;
    }
}
