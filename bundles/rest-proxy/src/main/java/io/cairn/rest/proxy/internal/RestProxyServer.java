package io.cairn.rest.proxy.internal;

import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.groups.GroupCoordinator;
import io.cairn.producer.Producer;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpServerKeepAliveHandler;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * The REST proxy's HTTP listeners ({@code cairn.http.listeners}, default
 * {@code http://127.0.0.1:8082}: loopback only, since the endpoint has no authentication).
 *
 * <p>Pipeline per connection, by name: {@code http} (Netty's request decoder and response encoder;
 * request line at most 4 KiB, headers at most 8 KiB), {@code keep-alive}, {@code aggregator}
 * (collects the body, refusing one over {@code cairn.http.max.body.bytes} — default 10 MiB — with
 * 413 from its Content-Length, before buffering it, or as soon as a chunked body passes the limit)
 * and {@code api} ({@link RestHandler}, which runs {@link RestApi} on a small worker pool so that
 * the event loop never waits for the broker).
 *
 * <p>Consume API: consumer instances ({@link ConsumerInstances}) join their groups through the
 * optional {@link GroupCoordinator}; broker keys {@code consumer.instance.timeout.ms} (idle instances
 * are destroyed, default 300000) and {@code consumer.session.timeout.ms} (their session timeout,
 * default 45000), read when the bundle starts. One timer thread ({@code cairn-rest-timer}) runs
 * their heartbeats, long-poll deadlines and the expiry sweep; those tasks only schedule work.
 *
 * <p>Netty rather than Felix HTTP: Netty is already in the broker, the listener address comes
 * straight from the broker configuration, and no servlet container opens a default port before its
 * configuration arrives.
 */
@Component(service = {})
public final class RestProxyServer {

    private static final Logger LOG = LoggerFactory.getLogger(RestProxyServer.class);

    static final String LISTENERS_KEY = "cairn.http.listeners";
    static final String DEFAULT_LISTENERS = "http://127.0.0.1:8082";
    static final String MAX_BODY_KEY = "cairn.http.max.body.bytes";
    /** The REST consumers' {@code session.timeout.ms}, named as Confluent's proxy names consumer settings. */
    static final String SESSION_TIMEOUT_KEY = "consumer.session.timeout.ms";
    static final int DEFAULT_MAX_BODY = 10 * 1024 * 1024;
    /** Enough for produce bodies nested as the proxy defines them, far below any stack limit. */
    static final int MAX_JSON_DEPTH = 64;
    /** Worker threads and queued requests; a full queue answers 503 rather than queueing without bound. */
    private static final int WORKERS = 4;
    private static final int QUEUE = 1024;

    private final EventLoopGroup boss;
    private final EventLoopGroup workers;
    private final ExecutorService apiThreads;
    private final ScheduledThreadPoolExecutor timer;
    private final ConsumerInstances consumers;
    private final List<Channel> channels = new ArrayList<>();

    /**
     * The group coordinator, for the consume API. Optional and dynamic: the produce API works
     * without it, and a coordinator that is replaced while consumers exist is picked up by their
     * next call (members it does not know rejoin, as Kafka clients do after a coordinator move).
     * While there is none, consumer calls that need it answer 500 50002 COORDINATOR_NOT_AVAILABLE.
     */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile GroupCoordinator coordinator;

    @Activate
    public RestProxyServer(@Reference LocalBroker broker, @Reference Producer producer) throws InterruptedException {
        int maxBody = broker.config().get(MAX_BODY_KEY).map(Integer::parseInt).orElse(DEFAULT_MAX_BODY);
        List<InetSocketAddress> addresses = parseListeners(broker.config().get(LISTENERS_KEY).orElse(DEFAULT_LISTENERS));
        long instanceTimeout = broker.config().get(ConsumerInstances.INSTANCE_TIMEOUT_KEY).map(Long::parseLong)
                .orElse(ConsumerInstances.DEFAULT_INSTANCE_TIMEOUT_MS);
        AtomicInteger n = new AtomicInteger();
        apiThreads = new ThreadPoolExecutor(WORKERS, WORKERS, 60, TimeUnit.SECONDS, new LinkedBlockingQueue<>(QUEUE), r -> {
            Thread t = new Thread(r, "cairn-rest-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        // Heartbeats, long-poll deadlines and instance expiry; tasks only schedule work, so one thread is enough.
        timer = new ScheduledThreadPoolExecutor(1, new DefaultThreadFactory("cairn-rest-timer", true));
        timer.setRemoveOnCancelPolicy(true);
        Json json = new Json(maxBody, MAX_JSON_DEPTH);
        consumers = new ConsumerInstances(() -> coordinator, broker, timer, apiThreads, instanceTimeout);
        int sessionTimeout = broker.config().get(SESSION_TIMEOUT_KEY).map(Integer::parseInt)
                .orElse(ConsumerInstance.DEFAULT_SESSION_TIMEOUT_MS);
        RestApi api = new RestApi(broker, producer, json, new ConsumerApi(consumers, json, sessionTimeout));
        boss = new NioEventLoopGroup(1, new DefaultThreadFactory("cairn-rest-accept", true));
        workers = new NioEventLoopGroup(2, new DefaultThreadFactory("cairn-rest-io", true));
        ServerBootstrap bootstrap = new ServerBootstrap().group(boss, workers).channel(NioServerSocketChannel.class)
                .childHandler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel ch) {
                        ch.pipeline().addLast("http", new HttpServerCodec(4096, 8192, 8192))
                                .addLast("keep-alive", new HttpServerKeepAliveHandler())
                                .addLast("aggregator", new HttpObjectAggregator(maxBody))
                                .addLast("api", new RestHandler(api, apiThreads));
                    }
                });
        try {
            for (InetSocketAddress address : addresses) {
                channels.add(bootstrap.bind(address).sync().channel());
                LOG.info("REST proxy listening on http://{}:{}", address.getHostString(), address.getPort());
            }
        } catch (RuntimeException | InterruptedException e) {
            LOG.error("REST proxy cannot listen on {}: {}", addresses, e.toString());
            deactivate();
            throw e;
        }
    }

    /** {@code http://host:port[,http://host:port]...}; https is not offered. */
    static List<InetSocketAddress> parseListeners(String value) {
        List<InetSocketAddress> out = new ArrayList<>();
        for (String item : value.split(",")) {
            String s = item.trim();
            if (s.isEmpty()) {
                continue;
            }
            URI uri = URI.create(s);
            if (!"http".equalsIgnoreCase(uri.getScheme()) || uri.getPort() < 0 || uri.getHost() == null) {
                throw new IllegalArgumentException(LISTENERS_KEY + ": '" + s + "' is not http://host:port");
            }
            out.add(new InetSocketAddress(uri.getHost(), uri.getPort()));
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException(LISTENERS_KEY + " names no listener");
        }
        return out;
    }

    @Deactivate
    void deactivate() {
        for (Channel c : channels) {
            c.close().syncUninterruptibly();
        }
        consumers.closeAll();
        timer.shutdownNow();
        boss.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        workers.shutdownGracefully(0, 2, TimeUnit.SECONDS);
        apiThreads.shutdownNow();
        LOG.debug("REST proxy stopped");
    }
}
