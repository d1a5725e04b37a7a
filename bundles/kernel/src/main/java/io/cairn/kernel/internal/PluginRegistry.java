package io.cairn.kernel.internal;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Condition;
import java.util.concurrent.locks.ReentrantLock;

import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.ack.AckStrategy;
import io.cairn.broker.spi.cluster.PluginCatalog;
import io.cairn.broker.spi.cluster.PluginInfo;
import io.cairn.broker.spi.metadata.MetadataStore;
import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.replication.ReplicationService;
import io.cairn.partitioner.spi.Partitioner;
import io.cairn.storage.spi.StorageEngine;

/**
 * Every plugin service the kernel can use, by kind and {@code cairn.name}, followed as bundles come
 * and go (dynamic, greedy references: a new or better-ranked service is bound at once).
 *
 * <p>Swap semantics: when several services share a kind and name, the one with the highest
 * service ranking (then the lowest service id) wins, as OSGi's own lookup does; so an operator
 * hot-swaps a plugin by installing the replacement with a higher {@code service.ranking} and then
 * stopping the old bundle, and no caller ever sees the name missing. A caller that needs a plugin
 * which is missing right now {@link #await waits} a bounded time for it instead of failing at once.
 *
 * <p>Thread-safe: binds and unbinds arrive on SCR threads, lookups on request threads.
 */
@Component(service = {PluginCatalog.class, PluginRegistry.class}, configurationPid = BrokerConfigDefinition.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class PluginRegistry implements PluginCatalog {

    private static final Logger LOG = LoggerFactory.getLogger(PluginRegistry.class);

    /** Kinds of plugin, by SPI interface; the simple name is the kind shown to operators. */
    static final List<Class<?>> KINDS = List.of(StorageEngine.class, Partitioner.class, AckStrategy.class,
            OffsetStore.class, MetadataStore.class, ReplicationService.class);

    private record Entry(Class<?> kind, String name, String bundle, long serviceId, int ranking, Object service) {
    }

    private final Map<Long, Entry> entries = new ConcurrentHashMap<>();
    private final List<Runnable> listeners = new CopyOnWriteArrayList<>();
    private final ReentrantLock lock = new ReentrantLock();
    private final Condition changed = lock.newCondition();
    private volatile Map<String, ?> config = Map.of();

    @Activate
    @Modified
    void configure(Map<String, ?> properties) {
        this.config = Map.copyOf(properties);
        signal();
    }

    // One bind/unbind pair per kind: DS needs a method per reference.

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindStorageEngine(StorageEngine service, ServiceReference<?> ref) {
        add(StorageEngine.class, service, ref);
    }

    void unbindStorageEngine(ServiceReference<?> ref) {
        remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPartitioner(Partitioner service, ServiceReference<?> ref) {
        add(Partitioner.class, service, ref);
    }

    void unbindPartitioner(ServiceReference<?> ref) {
        remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAckStrategy(AckStrategy service, ServiceReference<?> ref) {
        add(AckStrategy.class, service, ref);
    }

    void unbindAckStrategy(ServiceReference<?> ref) {
        remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindOffsetStore(OffsetStore service, ServiceReference<?> ref) {
        add(OffsetStore.class, service, ref);
    }

    void unbindOffsetStore(ServiceReference<?> ref) {
        remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindMetadataStore(MetadataStore service, ServiceReference<?> ref) {
        add(MetadataStore.class, service, ref);
    }

    void unbindMetadataStore(ServiceReference<?> ref) {
        remove(ref);
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindReplicationService(ReplicationService service, ServiceReference<?> ref) {
        add(ReplicationService.class, service, ref);
    }

    void unbindReplicationService(ServiceReference<?> ref) {
        remove(ref);
    }

    private void add(Class<?> kind, Object service, ServiceReference<?> ref) {
        Object name = ref.getProperty(NAME_PROPERTY);
        if (name == null) {
            LOG.warn("Ignoring {} service {} from {}: it has no {} property", kind.getSimpleName(),
                    ref.getProperty(Constants.SERVICE_ID), ref.getBundle().getSymbolicName(), NAME_PROPERTY);
            return;
        }
        Object ranking = ref.getProperty(Constants.SERVICE_RANKING);
        Entry e = new Entry(kind, name.toString(), ref.getBundle().getSymbolicName(),
                (Long) ref.getProperty(Constants.SERVICE_ID), ranking instanceof Integer r ? r : 0, service);
        entries.put(e.serviceId(), e);
        LOG.info("Plugin arrived: {} '{}' from {}", kind.getSimpleName(), e.name(), e.bundle());
        signal();
    }

    private void remove(ServiceReference<?> ref) {
        Entry e = entries.remove((Long) ref.getProperty(Constants.SERVICE_ID));
        if (e != null) {
            LOG.info("Plugin left: {} '{}' from {}", e.kind().getSimpleName(), e.name(), e.bundle());
            signal();
        }
    }

    private void signal() {
        lock.lock();
        try {
            changed.signalAll();
        } finally {
            lock.unlock();
        }
        listeners.forEach(Runnable::run);
    }

    /** Runs {@code listener} after every change of the plugin set (on the changing thread). */
    AutoCloseable onChange(Runnable listener) {
        listeners.add(listener);
        return () -> listeners.remove(listener);
    }

    /** The plugin of this kind and name now, if one is registered. */
    <T> Optional<T> find(Class<T> kind, String name) {
        return entries.values().stream()
                .filter(e -> e.kind() == kind && e.name().equals(name))
                .max(Comparator.comparingInt(Entry::ranking).thenComparing(Entry::serviceId, Comparator.reverseOrder()))
                .map(e -> kind.cast(e.service()));
    }

    /**
     * The plugin of this kind and name, waiting up to {@code timeoutMs} for one to be registered.
     *
     * @throws PluginUnavailableException if none arrived in time
     */
    <T> T await(Class<T> kind, String name, long timeoutMs) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(timeoutMs);
        lock.lock();
        try {
            while (true) {
                Optional<T> found = find(kind, name);
                if (found.isPresent()) {
                    return found.get();
                }
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    throw new PluginUnavailableException(kind.getSimpleName() + " '" + name
                            + "' is not available (waited " + timeoutMs + " ms)");
                }
                changed.awaitNanos(left);
            }
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<PluginInfo> plugins() {
        List<PluginInfo> result = new ArrayList<>();
        for (Entry e : entries.values()) {
            result.add(new PluginInfo(e.kind().getSimpleName(), e.name(), e.bundle(), e.serviceId(), isSelected(e)));
        }
        result.sort(Comparator.comparing(PluginInfo::kind).thenComparing(PluginInfo::name)
                .thenComparingLong(PluginInfo::serviceId));
        return result;
    }

    private boolean isSelected(Entry e) {
        if (find(e.kind(), e.name()).orElse(null) != e.service()) {
            return false;
        }
        KafkaBrokerConfig c;
        try {
            c = KafkaBrokerConfig.of(config);
        } catch (IllegalArgumentException bad) {
            return false;
        }
        String key = selectionKey(e.kind());
        if (e.kind() == MetadataStore.class) {
            return e.name().equals(c.metadataStoreName());
        }
        if (e.kind() == AckStrategy.class) {
            // Every ack strategy is in use: the producer's acks value picks one per request.
            return true;
        }
        return key != null && e.name().equals(c.get(key).orElse(""));
    }

    /** The broker key that selects the default plugin of a kind. */
    static String selectionKey(Class<?> kind) {
        if (kind == StorageEngine.class) {
            return "cairn.storage.engine";
        } else if (kind == Partitioner.class) {
            return "cairn.partitioner";
        } else if (kind == OffsetStore.class) {
            return "cairn.offsets.store";
        } else if (kind == MetadataStore.class) {
            return "cairn.metadata.store";
        } else if (kind == ReplicationService.class) {
            return "cairn.replication";
        }
        return null;
    }
}
