package io.cairn.protocol.kafka.internal;

import java.util.concurrent.Executor;

import io.netty.channel.ChannelInitializer;
import io.netty.channel.socket.SocketChannel;

/**
 * Builds the pipeline of every connection accepted on one listener. In inbound order:
 * <ol>
 * <li>{@value #FRAME_DECODER}: splits the byte stream at Kafka's 4-byte size prefixes, refusing a
 * size above {@code socket.request.max.bytes} before buffering it;</li>
 * <li>{@value #REQUEST_DECODER}: header and body with kafka-clients' generated classes;</li>
 * <li>{@value #RESPONSE_ENCODER}: outbound, size prefix + response header + body, with the log
 * regions of fetch responses spliced in as file regions;</li>
 * <li>{@value #CONNECTION}: the connection's state machine and request dispatch.</li>
 * </ol>
 *
 * <p>Thread-safety: shared by all connections of a listener; holds only immutable state.
 */
final class KafkaChannelInitializer extends ChannelInitializer<SocketChannel> {

    static final String FRAME_DECODER = "frame-decoder";
    static final String REQUEST_DECODER = "request-decoder";
    static final String RESPONSE_ENCODER = "response-encoder";
    static final String CONNECTION = "kafka-connection";

    private final String listenerName;
    private final int maxRequestBytes;
    private final KafkaApis apis;
    private final Executor requestPool;

    /**
     * @param listenerName the listener the connections arrive on, used to pick advertised endpoints
     * @param maxRequestBytes {@code socket.request.max.bytes}
     * @param apis the request handlers
     * @param requestPool where the handlers run, off the event loops
     */
    KafkaChannelInitializer(String listenerName, int maxRequestBytes, KafkaApis apis, Executor requestPool) {
        this.listenerName = listenerName;
        this.maxRequestBytes = maxRequestBytes;
        this.apis = apis;
        this.requestPool = requestPool;
    }

    @Override
    protected void initChannel(SocketChannel channel) {
        channel.pipeline()
                .addLast(FRAME_DECODER, new KafkaFrameDecoder(maxRequestBytes))
                .addLast(REQUEST_DECODER, new KafkaRequestDecoder(apis))
                .addLast(RESPONSE_ENCODER, new KafkaResponseEncoder())
                .addLast(CONNECTION, new KafkaConnection(listenerName, apis, requestPool));
    }
}
