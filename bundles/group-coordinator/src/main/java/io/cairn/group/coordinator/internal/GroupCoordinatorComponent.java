package io.cairn.group.coordinator.internal;

import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.groups.ConsumerGroupDescription;
import io.cairn.broker.spi.groups.ConsumerHeartbeatRequest;
import io.cairn.broker.spi.groups.ConsumerHeartbeatResult;
import io.cairn.broker.spi.groups.FetchedOffset;
import io.cairn.broker.spi.groups.GroupCoordinator;
import io.cairn.broker.spi.groups.GroupDeletion;
import io.cairn.broker.spi.groups.GroupDescription;
import io.cairn.broker.spi.groups.GroupListing;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.GroupType;
import io.cairn.broker.spi.groups.HeartbeatRequest;
import io.cairn.broker.spi.groups.JoinRequest;
import io.cairn.broker.spi.groups.JoinResult;
import io.cairn.broker.spi.groups.LeavingMember;
import io.cairn.broker.spi.groups.MemberLeave;
import io.cairn.broker.spi.groups.OffsetCommitRequest;
import io.cairn.broker.spi.groups.OffsetFetchRequest;
import io.cairn.broker.spi.groups.PartitionResult;
import io.cairn.broker.spi.groups.SyncRequest;
import io.cairn.broker.spi.groups.SyncResult;
import io.cairn.broker.spi.groups.assignor.PartitionAssignor;
import io.cairn.broker.spi.offsets.OffsetStore;
import io.cairn.broker.spi.offsets.PartitionKey;

/**
 * The group coordinator service. Reads Kafka's group keys and {@code cairn.offsets.store} from the
 * broker configuration (PID {@code io.cairn.broker}), follows every {@link OffsetStore} service
 * through a dynamic, greedy reference, and serves offsets from the one the configuration names.
 *
 * <p>Swap semantics: a configuration change ({@code @Modified}, no restart), a store registered
 * with a higher {@code service.ranking} under the selected name, or the serving store leaving,
 * each start a hand-over that copies every committed offset into the new store before it serves
 * (see {@link SelectedOffsetStore}). Group membership is unaffected by a switch.
 *
 * <p>Consumer (KIP-848) groups also follow every {@link PartitionAssignor} service (by
 * {@code cairn.name}; a higher {@code service.ranking} under the same name serves from the next
 * assignment it computes; a heartbeat needing a missing one waits up to {@code cairn.plugin.wait.ms})
 * and the kernel's {@link LocalBroker}, optionally: its cluster view tells which subscribed topics
 * exist and how many partitions they have. While it is missing (the kernel restarting) consumer
 * groups keep the topics they last saw.
 *
 * <p>Threads: one timer thread (sessions, rebalance delays, retention) and four I/O threads for
 * offset store calls, so that an fsync never holds up a request thread.
 */
@Component(service = GroupCoordinator.class, immediate = true, configurationPid = "io.cairn.broker",
        configurationPolicy = ConfigurationPolicy.REQUIRE)
public final class GroupCoordinatorComponent implements GroupCoordinator {

    private static final Logger LOG = LoggerFactory.getLogger(GroupCoordinatorComponent.class);

    /** Offset store calls that may run at once (fsyncs of different groups overlap). */
    private static final int IO_THREADS = 4;

    private volatile CoordinatorConfig config;
    private final ExecutorScheduler scheduler;
    private final ExecutorService io;
    private final SelectedOffsetStore store;
    private final CoordinatorCore core;
    private final AssignorRegistry assignors;
    private final AtomicReference<LocalBroker> broker = new AtomicReference<>();

    @Activate
    public GroupCoordinatorComponent(Map<String, Object> properties) {
        this.config = CoordinatorConfig.of(properties);
        this.scheduler = new ExecutorScheduler("cairn-group-timers");
        AtomicInteger n = new AtomicInteger();
        this.io = Executors.newFixedThreadPool(IO_THREADS, r -> {
            Thread t = new Thread(r, "cairn-offsets-io-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        });
        this.store = new SelectedOffsetStore(config.offsetStore(), scheduler, io, () -> config.pluginWaitMs());
        this.assignors = new AssignorRegistry(scheduler);
        this.core = new CoordinatorCore(scheduler, () -> config, store, this::cluster, assignors);
        core.startRetention();
        LOG.info("Group coordinator started: offset store '{}', group.initial.rebalance.delay.ms={}, "
                + "offsets.retention.minutes={}", config.offsetStore(), config.initialRebalanceDelayMs(),
                config.offsetsRetentionMs() / 60_000);
    }

    /** The kernel's current cluster snapshot; empty while there is none or it cannot be read. */
    private Optional<ClusterView> cluster() {
        LocalBroker local = broker.get();
        if (local == null) {
            return Optional.empty();
        }
        try {
            return Optional.of(local.cluster());
        } catch (RuntimeException e) {
            // The metadata store is away: consumer groups keep the topics they last saw.
            LOG.debug("No cluster view for consumer groups: {}", e.toString());
            return Optional.empty();
        }
    }

    @Modified
    void modified(Map<String, Object> properties) {
        config = CoordinatorConfig.of(properties);
        store.select(config.offsetStore());
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindOffsetStore(OffsetStore service, Map<String, Object> properties) {
        Object name = properties.get(OffsetStore.NAME_PROPERTY);
        if (name == null) {
            LOG.warn("Ignoring an OffsetStore service without {}: {}", OffsetStore.NAME_PROPERTY, properties);
            return;
        }
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        store.added(new SelectedOffsetStore.Candidate((Long) properties.get(Constants.SERVICE_ID),
                ranking instanceof Integer r ? r : 0, name.toString(), service));
    }

    void unbindOffsetStore(OffsetStore service, Map<String, Object> properties) {
        store.removed((Long) properties.get(Constants.SERVICE_ID));
    }

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindAssignor(PartitionAssignor service, Map<String, Object> properties) {
        Object name = properties.get(PartitionAssignor.NAME_PROPERTY);
        if (name == null) {
            LOG.warn("Ignoring a PartitionAssignor service without {}: {}", PartitionAssignor.NAME_PROPERTY, properties);
            return;
        }
        Object ranking = properties.get(Constants.SERVICE_RANKING);
        assignors.added(new AssignorRegistry.Candidate((Long) properties.get(Constants.SERVICE_ID),
                ranking instanceof Integer r ? r : 0, name.toString(), service));
    }

    void unbindAssignor(PartitionAssignor service, Map<String, Object> properties) {
        assignors.removed((Long) properties.get(Constants.SERVICE_ID));
    }

    /** The kernel's view of the cluster; a newer binding replaces the older before the older is unbound. */
    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindLocalBroker(LocalBroker service) {
        broker.set(service);
    }

    void unbindLocalBroker(LocalBroker service) {
        broker.compareAndSet(service, null);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        core.close();
        store.close();
        scheduler.close();
        io.shutdown();
        if (!io.awaitTermination(10, TimeUnit.SECONDS)) {
            LOG.warn("Offset store calls still running after 10 s at coordinator stop");
        }
        LOG.debug("Group coordinator stopped");
    }

    @Override
    public int coordinatorFor(String groupId) {
        return core.coordinatorFor(groupId);
    }

    @Override
    public CompletionStage<JoinResult> joinGroup(JoinRequest request) {
        return core.joinGroup(request);
    }

    @Override
    public CompletionStage<SyncResult> syncGroup(SyncRequest request) {
        return core.syncGroup(request);
    }

    @Override
    public CompletionStage<Void> heartbeat(HeartbeatRequest request) {
        return core.heartbeat(request);
    }

    @Override
    public CompletionStage<List<MemberLeave>> leaveGroup(String groupId, List<LeavingMember> members) {
        return core.leaveGroup(groupId, members);
    }

    @Override
    public CompletionStage<List<PartitionResult>> commitOffsets(OffsetCommitRequest request) {
        return core.commitOffsets(request);
    }

    @Override
    public CompletionStage<List<FetchedOffset>> fetchOffsets(OffsetFetchRequest request) {
        return core.fetchOffsets(request);
    }

    @Override
    public CompletionStage<List<GroupListing>> listGroups(Set<GroupState> states, Set<GroupType> types) {
        return core.listGroups(states, types);
    }

    @Override
    public CompletionStage<List<GroupDescription>> describeGroups(List<String> groupIds) {
        return core.describeGroups(groupIds);
    }

    @Override
    public CompletionStage<List<GroupDeletion>> deleteGroups(List<String> groupIds) {
        return core.deleteGroups(groupIds);
    }

    @Override
    public CompletionStage<List<PartitionResult>> deleteOffsets(String groupId, List<PartitionKey> partitions) {
        return core.deleteOffsets(groupId, partitions);
    }

    @Override
    public CompletionStage<ConsumerHeartbeatResult> consumerGroupHeartbeat(ConsumerHeartbeatRequest request) {
        return core.consumerGroupHeartbeat(request);
    }

    @Override
    public CompletionStage<List<ConsumerGroupDescription>> consumerGroupDescribe(List<String> groupIds) {
        return core.consumerGroupDescribe(groupIds);
    }
}
