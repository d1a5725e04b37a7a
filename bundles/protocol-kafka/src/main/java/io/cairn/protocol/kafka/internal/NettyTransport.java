package io.cairn.protocol.kafka.internal;

import java.util.concurrent.ThreadFactory;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.netty.channel.EventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollEventLoopGroup;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioEventLoopGroup;
import io.netty.channel.socket.nio.NioServerSocketChannel;

/**
 * The Netty transport the listeners run on: Linux epoll when its native library loads (inside
 * OSGi it comes from the {@code netty-transport-native-epoll} fragment), Java NIO otherwise.
 *
 * <p>Thread-safety: immutable constants.
 */
enum NettyTransport {

    /** Linux epoll via JNI. */
    EPOLL("epoll") {
        @Override
        EventLoopGroup newEventLoopGroup(int threads, ThreadFactory threadFactory) {
            return new EpollEventLoopGroup(threads, threadFactory);
        }

        @Override
        Class<? extends ServerChannel> serverChannelType() {
            return EpollServerSocketChannel.class;
        }
    },

    /** Java NIO selectors, available everywhere. */
    NIO("nio") {
        @Override
        EventLoopGroup newEventLoopGroup(int threads, ThreadFactory threadFactory) {
            return new NioEventLoopGroup(threads, threadFactory);
        }

        @Override
        Class<? extends ServerChannel> serverChannelType() {
            return NioServerSocketChannel.class;
        }
    };

    private static final Logger LOG = LoggerFactory.getLogger(NettyTransport.class);

    private final String label;

    NettyTransport(String label) {
        this.label = label;
    }

    /** The best transport this machine offers. */
    static NettyTransport select() {
        if (Epoll.isAvailable()) {
            return EPOLL;
        }
        LOG.info("Netty epoll transport unavailable, using NIO: {}", String.valueOf(Epoll.unavailabilityCause()));
        return NIO;
    }

    /** A short name for logs. */
    String label() {
        return label;
    }

    /** A new event loop group of this transport. */
    abstract EventLoopGroup newEventLoopGroup(int threads, ThreadFactory threadFactory);

    /** The server channel class matching {@link #newEventLoopGroup}. */
    abstract Class<? extends ServerChannel> serverChannelType();
}
