package io.cairn.protocol.kafka.internal;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerConfig;
import io.cairn.broker.spi.cluster.Endpoint;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.groups.GroupCoordinator;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;
import net.jpountz.lz4.LZ4Factory;

/**
 * The Kafka protocol front end of the broker: while the kernel offers a {@link LocalBroker}, one
 * Netty server listens on each of its configured {@code listeners}.
 *
 * <p>Lifecycle: the constructor binds every listener, or, if one cannot be bound, closes those
 * already bound and fails activation (SCR logs it and retries when the reference is offered
 * again). {@link #deactivate()} closes the server channels, then the event loops without a quiet
 * period, so a restart of the bundle can bind the same ports at once. Open client connections are
 * dropped; clients reconnect as they would to a restarted Kafka broker.
 *
 * <p>Thread-safety: construction and deactivation are called by SCR, one after the other; the
 * accessor {@link #boundAddress(String)} is safe from any thread once constructed.
 */
@Component(service = {}, immediate = true)
public final class KafkaProtocolComponent {

    private static final Logger LOG = LoggerFactory.getLogger(KafkaProtocolComponent.class);

    /** Kafka's key for the number of threads serving connections, and its default. */
    static final String NUM_NETWORK_THREADS = "num.network.threads";
    private static final int DEFAULT_NETWORK_THREADS = 3;

    private final EventLoopGroup acceptorGroup;
    private final EventLoopGroup connectionGroup;
    private final RequestThreads requestThreads;
    private final List<ListenerServer> servers;
    /** Filled by the dynamic reference below, possibly only after activation. */
    private final GroupCoordinatorSlot groups = new GroupCoordinatorSlot();

    /**
     * Binds a server for every listener of {@code broker}.
     *
     * @param broker the local broker whose configuration and cluster view are served
     * @throws IllegalStateException if a listener cannot be bound
     */
    @Activate
    public KafkaProtocolComponent(@Reference(name = "localBroker") LocalBroker broker) {
        preferNativeLz4();
        BrokerConfig config = broker.config();
        NettyTransport transport = NettyTransport.select();
        acceptorGroup = transport.newEventLoopGroup(1, new DefaultThreadFactory("cairn-kafka-accept", true));
        connectionGroup = transport.newEventLoopGroup(
                positive(config, NUM_NETWORK_THREADS, DEFAULT_NETWORK_THREADS),
                new DefaultThreadFactory("cairn-kafka-network", true));
        requestThreads = new RequestThreads(positive(config, RequestThreads.NUM_IO_THREADS,
                RequestThreads.DEFAULT_IO_THREADS));
        KafkaApis apis = new KafkaApis(broker, requestThreads, groups);
        servers = new ArrayList<>();
        try {
            for (Endpoint listener : config.listeners()) {
                ListenerServer server = ListenerServer.bind(listener, transport, acceptorGroup, connectionGroup,
                        new KafkaChannelInitializer(listener.listenerName(), config.socketRequestMaxBytes(), apis,
                                requestThreads.requests()));
                servers.add(server);
                LOG.info("Listening for Kafka clients on {} (transport {})", server.describe(), transport.label());
            }
        } catch (RuntimeException e) {
            deactivate();
            throw e;
        }
        if (servers.isEmpty()) {
            LOG.warn("Broker {} has no listeners configured: no Kafka client can connect", config.brokerId());
        } else {
            LOG.info("Kafka listener ready: broker {} accepts Kafka clients on {} listener(s)",
                    config.brokerId(), servers.size());
        }
    }

    /**
     * The group coordinator, optional and dynamic: the listeners keep serving while it comes and
     * goes (the group APIs answer {@code COORDINATOR_NOT_AVAILABLE} meanwhile), and a better-ranked
     * one replaces the current one at once (greedy); see {@link GroupCoordinatorSlot}.
     */
    @Reference(name = "groupCoordinator", cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindGroupCoordinator(GroupCoordinator coordinator) {
        groups.bind(coordinator);
        LOG.debug("Group coordinator bound: consumer group APIs served");
    }

    void unbindGroupCoordinator(GroupCoordinator coordinator) {
        groups.unbind(coordinator);
        LOG.debug("Group coordinator unbound");
    }

    /** Closes every listener and the event loops. Idempotent. */
    @Deactivate
    void deactivate() {
        servers.forEach(ListenerServer::close);
        // Quiet period 0: nothing is left to drain once the server channels are closed.
        acceptorGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        connectionGroup.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        requestThreads.close();
        LOG.debug("Kafka listeners closed");
    }

    /**
     * The address a listener is bound to, with the port chosen at bind time when the listener asked
     * for port 0.
     */
    Optional<InetSocketAddress> boundAddress(String listenerName) {
        return servers.stream()
                .filter(s -> s.listenerName().equals(listenerName))
                .map(ListenerServer::boundAddress)
                .findFirst();
    }

    /** A thread count from the configuration: {@code key} if a positive integer, else {@code fallback}. */
    private static int positive(BrokerConfig config, String key, int fallback) {
        Optional<String> value = config.get(key);
        try {
            int threads = Integer.parseInt(value.orElse(String.valueOf(fallback)).trim());
            if (threads > 0) {
                return threads;
            }
        } catch (NumberFormatException e) {
            // fall through to the default, logged below
        }
        LOG.warn("Ignoring {}={}: not a positive integer, using {}", key, value.orElse(""), fallback);
        return fallback;
    }

    /**
     * lz4-java only tries its JNI library by itself when loaded by the system class loader; inside
     * OSGi its fastest instance silently stays pure Java unless the native instance has been asked
     * for once (OSGI-NOTES P14). Failing here only means the Java implementation is used.
     */
    private static void preferNativeLz4() {
        try {
            LZ4Factory.nativeInstance();
            LOG.debug("lz4 native library loaded");
        } catch (RuntimeException | LinkageError e) {
            LOG.info("lz4 native library unavailable, lz4 batches use the Java implementation: {}", e.toString());
        }
    }
}
