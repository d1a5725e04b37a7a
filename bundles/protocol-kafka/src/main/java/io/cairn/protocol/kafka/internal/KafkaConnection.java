package io.cairn.protocol.kafka.internal;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;

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
 * <p>Threads: requests are handed to the connection's {@link RequestStrand}, which runs the
 * handlers one at a time, in request order, on the shared request pool (they may block on the
 * kernel); their stages may complete later on any thread (an acknowledgement, a long-poll fetch).
 * Completions are handed back to the event loop, which alone touches the sequencer and the channel.
 *
 * <p>Failures are decided and logged here, once per connection: a {@link ProtocolViolationException}
 * from the decoders at INFO with the client's address (the connection is closed, as Kafka does,
 * once the requests received before it are answered), a
 * {@link CloseConnectionException} from a handler at INFO (Kafka's answer to a failed
 * {@code acks=0} produce), an I/O error from the peer at DEBUG, anything else at WARN. Responses
 * already written are flushed before the close. Other connections are not affected.
 *
 * <p>At most {@value #MAX_IN_FLIGHT} requests wait for their responses; beyond that the connection
 * stops reading until half of them are answered, so a client pipelining faster than the broker
 * answers cannot make it buffer without bound. It also stops reading while its written responses
 * are not draining (see {@link #updateReading}).
 *
 * <p>Thread-safety: one instance per connection; every field is confined to the channel's event
 * loop, to which handler completions from other threads are handed back.
 */
final class KafkaConnection extends ChannelInboundHandlerAdapter {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaConnection.class);

    /** Generous next to Kafka clients' default of 5 in-flight requests per connection. */
    static final int MAX_IN_FLIGHT = 64;

    /**
     * How long requests received before a protocol violation may take to be answered before the
     * connection closes anyway (a long-polling fetch among them is cut short).
     */
    static final long DRAIN_TIMEOUT_MS = 2_000;

    private final String listenerName;
    private final KafkaApis apis;
    private final RequestStrand strand;
    private final CompletableFuture<Void> closed = new CompletableFuture<>();
    private final ResponseSequencer responses = new ResponseSequencer();
    private ConnectionState state = ConnectionState.CONNECTED;
    private ConnectionContext connection;
    /** Closing was decided after a violation: answer what was received before, then close. */
    private boolean closeWhenAnswered;

    KafkaConnection(String listenerName, KafkaApis apis, Executor requestPool) {
        this.listenerName = listenerName;
        this.apis = apis;
        this.strand = new RequestStrand(requestPool);
    }

    @Override
    public void channelActive(ChannelHandlerContext ctx) {
        connection = new ConnectionContext(listenerName, (InetSocketAddress) ctx.channel().localAddress(),
                (InetSocketAddress) ctx.channel().remoteAddress(), closed);
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
        updateReading(ctx);
        strand.execute(() -> handle(ctx, slot));
    }

    /** On the strand: runs the handler and arranges for its completion to reach the event loop. */
    private void handle(ChannelHandlerContext ctx, ResponseSequencer.Slot slot) {
        if (closed.isDone()) {
            return;
        }
        CompletionStage<? extends ApiMessage> result;
        try {
            result = apis.handle(slot.request(), connection);
        } catch (RuntimeException e) {
            result = CompletableFuture.failedFuture(e);
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
        if (!state.acceptsRequests() && !closeWhenAnswered) {
            LogRegionRecords.releaseAll(body);
            return;
        }
        if (error != null) {
            handlerFailed(ctx, slot, error);
            return;
        }
        responses.fill(slot, KafkaResponse.answering(slot.request(), body));
        List<KafkaResponse> ready = responses.drainReady();
        boolean wrote = false;
        for (KafkaResponse response : ready) {
            if (response.hasBody()) {
                // A response that cannot be encoded (a bug) or sent fails the connection, logged once.
                ctx.write(response).addListener(ChannelFutureListener.FIRE_EXCEPTION_ON_FAILURE);
                wrote = true;
            }
        }
        if (wrote) {
            ctx.flush();
        }
        if (closeWhenAnswered) {
            if (responses.pending() == 0) {
                close(ctx);
            }
            return;
        }
        updateReading(ctx);
    }

    @Override
    public void channelWritabilityChanged(ChannelHandlerContext ctx) {
        if (state.acceptsRequests()) {
            updateReading(ctx);
        }
        ctx.fireChannelWritabilityChanged();
    }

    /**
     * Back-pressure: reads stop while {@value #MAX_IN_FLIGHT} requests await their responses, or
     * while the responses already written wait above the channel's high-water mark (a client that
     * sends but does not read); they resume once half the requests are answered and the outbound
     * buffer has drained.
     */
    private void updateReading(ChannelHandlerContext ctx) {
        boolean reading = ctx.channel().config().isAutoRead();
        int pending = responses.pending();
        boolean read = ctx.channel().isWritable()
                && (reading ? pending < MAX_IN_FLIGHT : pending <= MAX_IN_FLIGHT / 2);
        if (read != reading) {
            ctx.channel().config().setAutoRead(read);
        }
    }

    private void handlerFailed(ChannelHandlerContext ctx, ResponseSequencer.Slot slot, Throwable error) {
        Throwable cause = error instanceof CompletionException && error.getCause() != null ? error.getCause() : error;
        KafkaRequest request = slot.request();
        if (cause instanceof CloseConnectionException) {
            LOG.info("Closing Kafka connection from {}: {} (correlation id {}, client id {})",
                    connection.remoteAddress(), cause.getMessage(), request.correlationId(),
                    request.header().clientId());
        } else {
            LOG.warn("Closing Kafka connection from {}: handling {} v{} (correlation id {}) failed",
                    connection.remoteAddress(), request.apiKey().name, request.apiVersion(), request.correlationId(),
                    cause);
        }
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
            closeAfterAnswering(ctx);
            return;
        } else if (failure instanceof IOException) {
            LOG.debug("Kafka connection from {} failed: {}", peer, failure.toString());
        } else {
            LOG.warn("Closing Kafka connection from {} after an unexpected failure", peer, failure);
        }
        close(ctx);
    }

    /**
     * Decides to close after a violation: nothing more is read, but requests received before it
     * are still answered (for at most {@value #DRAIN_TIMEOUT_MS} ms), as a client that pipelined a
     * good request before a bad one would expect.
     */
    private void closeAfterAnswering(ChannelHandlerContext ctx) {
        state = state.transitionTo(ConnectionState.CLOSING);
        ctx.channel().config().setAutoRead(false);
        if (responses.pending() == 0) {
            close(ctx);
            return;
        }
        closeWhenAnswered = true;
        ctx.executor().schedule(() -> {
            if (closeWhenAnswered) {
                close(ctx);
            }
        }, DRAIN_TIMEOUT_MS, TimeUnit.MILLISECONDS);
    }

    /** Decides to close now: responses already written are flushed first, nothing else is read. */
    private void close(ChannelHandlerContext ctx) {
        state = state.transitionTo(ConnectionState.CLOSING);
        closeWhenAnswered = false;
        responses.clear();
        ctx.writeAndFlush(Unpooled.EMPTY_BUFFER).addListener(ChannelFutureListener.CLOSE);
    }

    @Override
    public void channelInactive(ChannelHandlerContext ctx) {
        state = state.transitionTo(ConnectionState.CLOSED);
        responses.clear();
        closed.complete(null);
        LOG.debug("Kafka connection from {} closed", connection != null ? connection.remoteAddress() : "?");
        ctx.fireChannelInactive();
    }
}
