package io.cairn.rest.proxy.internal;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpRequest;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.QueryStringDecoder;

/**
 * Hands each whole request to {@link RestApi} on the worker pool and writes its answer. Requests
 * of one connection are answered in order: the pipeline reads the next one only after HTTP/1.1
 * keep-alive lets it, and this handler stops reading until the answer is written.
 */
final class RestHandler extends SimpleChannelInboundHandler<FullHttpRequest> {

    private static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);

    private final RestApi api;
    private final ExecutorService pool;

    RestHandler(RestApi api, ExecutorService pool) {
        this.api = api;
        this.pool = pool;
    }

    @Override
    protected void channelRead0(ChannelHandlerContext ctx, FullHttpRequest request) {
        if (!request.decoderResult().isSuccess()) {
            write(ctx, request, RestApi.Response.error(400, 400, "HTTP 400 Bad Request"));
            return;
        }
        String method = request.method().name();
        QueryStringDecoder uri = new QueryStringDecoder(request.uri());
        String path = uri.path();
        String host = request.headers().get(HttpHeaderNames.HOST);
        if (host == null || host.isBlank()) {
            InetSocketAddress local = (InetSocketAddress) ctx.channel().localAddress();
            host = local.getHostString() + ":" + local.getPort();
        }
        RestApi.Request call = new RestApi.Request(method, path, uri.parameters(),
                request.headers().get(HttpHeaderNames.CONTENT_TYPE), request.headers().get(HttpHeaderNames.ACCEPT), host,
                String.valueOf(ctx.channel().remoteAddress()).replaceFirst(":\\d+$", ""), ByteBufUtil.getBytes(request.content()));
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        ctx.channel().config().setAutoRead(false);
        try {
            pool.execute(() -> {
                try {
                    api.handle(call).whenComplete((response, failure) -> {
                        if (failure != null) {
                            LOG.error("{} {} failed", method, path, failure);
                            response = RestApi.Response.error(500, 500, "Internal server error: " + failure);
                        }
                        write(ctx, keepAlive, response);
                    });
                } catch (RuntimeException e) {
                    LOG.error("{} {} failed", method, path, e);
                    write(ctx, keepAlive, RestApi.Response.error(500, 500, "Internal server error: " + e));
                }
            });
        } catch (RejectedExecutionException e) {
            write(ctx, keepAlive, RestApi.Response.error(503, 503, "Too many requests in progress; retry later"));
        }
    }

    private static void write(ChannelHandlerContext ctx, FullHttpRequest request, RestApi.Response response) {
        write(ctx, HttpUtil.isKeepAlive(request), response);
    }

    private static void write(ChannelHandlerContext ctx, boolean keepAlive, RestApi.Response response) {
        byte[] body = response.body().getBytes(StandardCharsets.UTF_8);
        FullHttpResponse out = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1,
                HttpResponseStatus.valueOf(response.status()), Unpooled.wrappedBuffer(body));
        if (response.status() != 204) {
            out.headers().set(HttpHeaderNames.CONTENT_TYPE, response.contentType());
            out.headers().setInt(HttpHeaderNames.CONTENT_LENGTH, body.length);
        }
        HttpUtil.setKeepAlive(out, keepAlive);
        ctx.writeAndFlush(out).addListener(f -> ctx.channel().config().setAutoRead(true));
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("REST connection {} failed: {}", ctx.channel().remoteAddress(), cause.toString());
        ctx.close();
    }
}
