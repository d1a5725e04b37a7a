package io.cairn.protocol.kafka.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.protocol.ApiMessage;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.codec.DecoderException;

/**
 * The last handler of a connection's pipeline: runs its {@link ConnectionState} machine, hands each
 * {@link KafkaRequest} to {@link KafkaApis}, and writes the responses in request order through a
 * {@link ResponseSequencer}, however the handlers complete.
 *
 * <p>Failures are decided and logged here, once per connection: a {@link ProtocolViolationException}
 * from the decoders at INFO with the client's address (the connection is closed, as Kafka does),
 * an I/O error from the peer at DEBUG, anything else at WARN. Responses already written are flushed
 * before the close. Other connections are not affected.
 *
 * <p>At most {@value #MAX_IN_FLIGHT} requests wait for their responses; beyond that the connection
 * stops reading until half of them are answered, so a client pipelining faster than the broker
 * answers cannot make it buffer without bound.
 *
 * <p>Thread-safety: one instance per connection; every field is confined to the channel's event
 * loop, to which handler completions from other threads are handed back.
 */
final class KafkaConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);

    /** Generous next to Kafka clients' default of 5 in-flight requests per connection. */
    static final int MAX_IN_FLIGHT = 64;

    private final String listenerName;
    private final KafkaApis apis;
    private final ResponseSequencer responses = new ResponseSequencer();
    private ConnectionState state = ConnectionState.CONNECTED;
    private ConnectionContext connection;

    KafkaConnection(String listenerName, KafkaApis apis) {
        this.listenerName = listenerName;
        this.apis = apis;
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = new ConnectionContext(listenerName, (InetSocketAddress) ctx.channel().localAddress(),
                (InetSocketAddress) ctx.channel().remoteAddress());
        LOG.debug("Kafka connection from {} on listener {}", connection.remoteAddress(), listenerName);
        ctx.fireChannelActive();
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        if (!(msg instanceof KafkaRequest request)) {
            ctx.fireChannelRead(msg);
            return;
        }
        if (!state.acceptsRequests()) {
            return;
        }
        state = state.transitionTo(ConnectionState.SERVING);
        LOG.trace("{} v{} correlation id {} from {}", request.apiKey().name, request.apiVersion(),
                request.correlationId(), connection.remoteAddress());
        ResponseSequencer.Slot slot = responses.open(request);
        if (responses.pending() >= MAX_IN_FLIGHT) {
            ctx.channel().config().setAutoRead(false);
        }
        CompletionStage<? extends ApiMessage> result;
        try {
            result = apis.handle(request, connection);
        } catch (RuntimeException e) {
            handlerFailed(ctx, slot, e);
            return;
        }
        result.whenComplete((body, error) -> {
            if (ctx.executor().inEventLoop()) {
                completed(ctx, slot, body, error);
            } else {
                ctx.executor().execute(() -> completed(ctx, slot, body, error));
            }
        });
    }

    private void completed(ChannelHandlerContext ctx, ResponseSequencer.Slot slot, ApiMessage body, Throwable error) {
        if (!state.acceptsRequests()) {
            return;
        }
        if (error != null) {
            handlerFailed(ctx, slot, error);
            return;
        }
        responses.fill(slot, KafkaResponse.answering(slot.request(), body));
        List<KafkaResponse> ready = responses.drainReady();
        if (ready.isEmpty()) {
            return;
        }
        ready.forEach(ctx::write);
        ctx.flush();
        if (!ctx.channel().config().isAutoRead() && responses.pending() <= MAX_IN_FLIGHT / 2) {
            ctx.channel().config().setAutoRead(true);
        }
    }

    private void handlerFailed(ChannelHandlerContext ctx, ResponseSequencer.Slot slot, Throwable error) {
        KafkaRequest request = slot.request();
        LOG.warn("Closing Kafka connection from {}: handling {} v{} (correlation id {}) failed",
                connection.remoteAddress(), request.apiKey().name, request.apiVersion(), request.correlationId(),
                error);
        close(ctx);
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        Throwable failure = cause instanceof DecoderException && cause.getCause() != null ? cause.getCause() : cause;
        Object peer = connection != null ? connection.remoteAddress() : ctx.channel().remoteAddress();
        if (!state.acceptsRequests()) {
            LOG.debug("Ignoring failure on closing Kafka connection from {}: {}", peer, failure.toString());
            return;
        }
        if (failure instanceof ProtocolViolationException) {
            LOG.info("Closing Kafka connection from {} on listener {}: {}", peer, listenerName, failure.getMessage());
            if (failure.getCause() != null) {
                LOG.debug("Cause of the protocol violation by {}", peer, failure.getCause());
            }
        } else if (failure instanceof IOException) {
            LOG.debug("Kafka connection from {} failed: {}", peer, failure.toString());
        } else {
            LOG.warn("Closing Kafka connection from {} after an unexpected failure", peer, failure);
        }
        close(ctx);
    }

    /** Decides to close: responses already written are flushed first, nothing else is read. */
    private void close(ChannelHandlerContext ctx) {
        state = state.transitionTo(ConnectionState.CLOSING);
        responses.clear();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = state.transitionTo(ConnectionState.CLOSED);
        responses.clear();
        LOG.debug("Kafka connection from {} closed", connection != null ? connection.remoteAddress() : "?");
        ctx.fireChannelInactive();
    }
}
