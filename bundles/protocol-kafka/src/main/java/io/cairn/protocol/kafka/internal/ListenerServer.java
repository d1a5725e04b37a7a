package io.cairn.protocol.kafka.internal;

import java.net.InetSocketAddress;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.Endpoint;
import io.netty.bootstrap.ServerBootstrap;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;

/**
 * One bound Kafka listener: the server channel accepting connections for one {@link Endpoint}.
 *
 * <p>An empty host binds every interface, as Kafka's {@code PLAINTEXT://:9092} does; port 0 binds a
 * free port, reported by {@link #boundAddress()}.
 *
 * <p>Thread-safety: immutable after {@link #bind}; {@link #close()} may be called from any thread
 * and more than once.
 */
final class ListenerServer implements AutoCloseable {

    private static final Logger LOG = LoggerFactory.getLogger(ListenerServer.class);

    private final Endpoint endpoint;
    private final Channel serverChannel;

    private ListenerServer(Endpoint endpoint, Channel serverChannel) {
        this.endpoint = endpoint;
        this.serverChannel = serverChannel;
    }

    /**
     * Binds {@code endpoint} and returns once the socket is listening.
     *
     * @throws IllegalStateException if the address cannot be bound (in use, not local, ...)
     */
    static ListenerServer bind(Endpoint endpoint, NettyTransport transport, EventLoopGroup acceptorGroup,
            EventLoopGroup connectionGroup, KafkaChannelInitializer initializer) {
        InetSocketAddress address = endpoint.host().isEmpty()
                ? new InetSocketAddress(endpoint.port())
                : new InetSocketAddress(endpoint.host(), endpoint.port());
        ServerBootstrap bootstrap = new ServerBootstrap()
                .group(acceptorGroup, connectionGroup)
                .channel(transport.serverChannelType())
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childOption(ChannelOption.SO_KEEPALIVE, true)
                .childHandler(initializer);
        ChannelFuture bound = bootstrap.bind(address).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new IllegalStateException("Cannot bind Kafka listener " + endpoint.connectionString()
                    + " to " + address, bound.cause());
        }
        return new ListenerServer(endpoint, bound.channel());
    }

    /** The listener name, e.g. {@code PLAINTEXT}. */
    String listenerName() {
        return endpoint.listenerName();
    }

    /** The local address the server socket is bound to. */
    InetSocketAddress boundAddress() {
        return (InetSocketAddress) serverChannel.localAddress();
    }

    /** {@code NAME://address:port} as bound, for logs. */
    String describe() {
        InetSocketAddress bound = boundAddress();
        String host = bound.getAddress().getHostAddress();
        return endpoint.listenerName() + "://" + (host.indexOf(':') >= 0 ? "[" + host + "]" : host) + ":"
                + bound.getPort();
    }

    /** Stops accepting connections on this listener. */
    @Override
    public void close() {
        if (serverChannel.isOpen()) {
            serverChannel.close().awaitUninterruptibly();
            LOG.debug("Closed Kafka listener {}", endpoint.connectionString());
        }
    }
}
