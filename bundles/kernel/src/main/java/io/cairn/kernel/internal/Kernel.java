package io.cairn.kernel.internal;

import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.metadata.MetadataStore;

/**
 * The broker kernel: owns this broker's identity and configuration, and follows the metadata store
 * that the configuration selects ({@code cairn.metadata.store}, else {@code zookeeper} when
 * {@code zookeeper.connect} is set, else {@code standalone}).
 *
 * <p>While the selected store is registered, the broker is a member of the cluster (a
 * {@link BrokerSession}) and offers the {@code LocalBroker} service. When the store goes away the
 * session ends and front ends lose the service (they stop accepting work for the broker); when it
 * returns, or a replacement with the same name appears, a new session starts. All of this runs on
 * one worker thread, so sessions never overlap.
 *
 * <p>A configuration change confined to keys that other components own and follow themselves
 * (group and offset-store keys, see {@link KafkaBrokerConfig#NOT_KERNEL_PREFIXES}) leaves the
 * session in place, so that switching {@code cairn.offsets.store} or tuning a group timeout never
 * disconnects a client. Any other change ends the session and starts a new one with the new
 * configuration: the broker leaves the cluster and joins again.
 */
@Component(immediate = true, configurationPid = BrokerConfigDefinition.PID,
        configurationPolicy = ConfigurationPolicy.REQUIRE)
@Designate(ocd = BrokerConfigDefinition.class)
public final class Kernel {

    private static final Logger LOG = LoggerFactory.getLogger(Kernel.class);

    private final BundleContext context;
    private final PluginRegistry plugins;
    private volatile KafkaBrokerConfig config;
    private final DynamicConfigUpdater dynamic;
    private final ExecutorService worker;
    private final AutoCloseable subscription;
    private BrokerSession session;

    @Activate
    public Kernel(BundleContext context, @Reference PluginRegistry plugins, @Reference ConfigurationAdmin configAdmin,
            Map<String, Object> properties) {
        this.context = context;
        this.plugins = plugins;
        this.config = KafkaBrokerConfig.of(properties);
        this.dynamic = new DynamicConfigUpdater(context, configAdmin, config.logDirs().get(0));
        this.worker = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "cairn-kernel");
            t.setDaemon(true);
            return t;
        });
        this.subscription = plugins.onChange(() -> worker.execute(this::reconcile));
        LOG.info("Kernel starting: broker.id={} listeners={} log.dirs={} metadata store '{}'", config.brokerId(),
                config.get("listeners").orElse(""), config.logDirs(), config.metadataStoreName());
        worker.execute(this::reconcile);
    }

    /** Brings the session in line with the store registered now under the selected name. */
    private void reconcile() {
        MetadataStore wanted = plugins.find(MetadataStore.class, config.metadataStoreName()).orElse(null);
        if (session != null && session.store() == wanted) {
            return;
        }
        if (session != null) {
            session.close();
            session = null;
        }
        if (wanted == null) {
            if ("zookeeper".equals(config.metadataStoreName()) && config.get("cairn.metadata.store").isEmpty()) {
                LOG.warn("Waiting for metadata store 'zookeeper', selected because zookeeper.connect is set. Cairn's "
                        + "distribution has no zookeeper metadata store yet: to run one broker with zookeeper.connect "
                        + "(for the zookeeper offset store, say) set cairn.metadata.store=standalone");
            } else {
                LOG.info("Waiting for metadata store '{}'", config.metadataStoreName());
            }
            return;
        }
        BrokerSession next = new BrokerSession(context, config, wanted, worker, plugins, dynamic);
        try {
            next.start();
            session = next;
        } catch (Exception e) {
            LOG.error("Broker {} could not join the cluster: {}", config.brokerId(), e.getMessage(), e);
            next.close();
        }
    }

    @Modified
    void modified(Map<String, Object> properties) {
        KafkaBrokerConfig next = KafkaBrokerConfig.of(properties);
        worker.execute(() -> {
            KafkaBrokerConfig previous = config;
            config = next;
            if (previous.sameForKernel(next)) {
                if (session != null) {
                    session.reconfigured(next);
                }
                LOG.debug("Configuration change needs no new session");
                return;
            }
            LOG.info("Broker configuration changed: broker {} leaves and joins again", next.brokerId());
            if (session != null) {
                session.close();
                session = null;
            }
            reconcile();
        });
    }

    @Deactivate
    void deactivate() throws Exception {
        subscription.close();
        worker.submit(() -> {
            if (session != null) {
                session.close();
                session = null;
            }
        }).get(10, TimeUnit.SECONDS);
        worker.shutdown();
        worker.awaitTermination(5, TimeUnit.SECONDS);
    }
}
