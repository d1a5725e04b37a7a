package io.cairn.offsets.zookeeper.internal;

import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryUntilElapsed;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.offsets.OffsetStore;

/**
 * Offers the ZooKeeper offset store ({@code cairn.name=zookeeper}) when the broker configuration
 * (PID {@code io.cairn.broker}) sets {@code zookeeper.connect}, and only then: a broker without
 * ZooKeeper has the bundle installed and no such store, so selecting it waits and then answers
 * {@code COORDINATOR_NOT_AVAILABLE} like any missing store.
 *
 * <p>Declarative Services cannot make a service depend on a configuration value, so this
 * component provides no service itself and registers the store by hand: on activation, and again
 * when one of the keys it reads changes ({@link ZooKeeperSettings}); other broker keys leave it
 * alone. Swap order: the old store is unregistered first — the group coordinator copies its offsets
 * out during the unregistration, while its client still runs — then its client is closed and the
 * new store registered.
 *
 * <p>The Curator client connects in the background; the store is registered at once and its calls
 * fail with a retriable error until the connection is up ({@link ZooKeeperOffsetStore}).
 *
 * <p>Thread-safe: the lifecycle methods are serialised by SCR and synchronised here.
 */
@Component(service = {}, immediate = true, configurationPid = "io.cairn.broker",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class ZooKeeperOffsetStoreComponent {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperOffsetStoreComponent.class);

    /** Pause between two attempts of a call while ZooKeeper is unreachable. */
    private static final int RETRY_SLEEP_MS = 100;

    private final BundleContext context;
    private ZooKeeperSettings settings;
    private CuratorFramework client;
    private ServiceRegistration<OffsetStore> registration;

    @Activate
    public ZooKeeperOffsetStoreComponent(BundleContext context, Map<String, Object> config) {
        this.context = context;
        apply(config);
    }

    @Modified
    synchronized void modified(Map<String, Object> config) {
        apply(config);
    }

    @Deactivate
    synchronized void deactivate() {
        stop();
    }

    private synchronized void apply(Map<String, Object> config) {
        Optional<ZooKeeperSettings> wanted;
        try {
            wanted = ZooKeeperSettings.of(config);
        } catch (IllegalArgumentException e) {
            LOG.error("ZooKeeper offset store not offered: {}", e.getMessage());
            stop();
            settings = null;
            return;
        }
        if (wanted.orElse(null) == null ? settings == null : wanted.get().equals(settings)) {
            return;
        }
        stop();
        settings = wanted.orElse(null);
        if (settings == null) {
            LOG.debug("zookeeper.connect is not set: no ZooKeeper offset store");
            return;
        }
        client = newClient(settings);
        client.start();
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(OffsetStore.NAME_PROPERTY, "zookeeper");
        props.put("zookeeper.connect", settings.connect());
        registration = context.registerService(OffsetStore.class, new ZooKeeperOffsetStore(client, settings.chroot(),
                settings.connect(), settings.maxTransactionBytes()), props);
        LOG.debug("ZooKeeper offset store registered for {}", settings.connect());
    }

    /**
     * A client whose calls give up after the operation timeout: it waits that long at most for a
     * connection (Curator's connection timeout), and retries until that much time has passed.
     */
    static CuratorFramework newClient(ZooKeeperSettings settings) {
        CuratorFramework client = CuratorFrameworkFactory.builder().connectString(settings.hosts())
                .sessionTimeoutMs(settings.sessionTimeoutMs()).connectionTimeoutMs(settings.operationTimeoutMs())
                .retryPolicy(new RetryUntilElapsed(settings.operationTimeoutMs(), RETRY_SLEEP_MS))
                // The ensemble is the configured one; do not follow dynamic reconfiguration.
                .ensembleTracker(false).build();
        String connect = settings.connect();
        client.getConnectionStateListenable().addListener((c, state) -> logState(connect, state));
        return client;
    }

    private static void logState(String connect, ConnectionState state) {
        switch (state) {
            case CONNECTED -> LOG.info("ZooKeeper offset store connected to {}", connect);
            case RECONNECTED -> LOG.info("ZooKeeper offset store reconnected to {}", connect);
            case SUSPENDED -> LOG.warn("ZooKeeper offset store lost its connection to {}: offset commits and fetches "
                    + "fail (COORDINATOR_NOT_AVAILABLE, clients retry) until it is back", connect);
            case LOST -> LOG.warn("ZooKeeper offset store: session with {} lost; a new one starts when ZooKeeper is "
                    + "reachable again", connect);
            default -> LOG.debug("ZooKeeper offset store connection to {}: {}", connect, state);
        }
    }

    private void stop() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // The bundle is stopping and the framework unregistered it.
            }
            registration = null;
        }
        if (client != null) {
            client.close();
            client = null;
        }
    }
}
