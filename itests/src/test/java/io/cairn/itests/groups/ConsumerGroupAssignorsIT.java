package io.cairn.itests.groups;

import static io.cairn.itests.FelixContainer.await;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;

import java.util.Dictionary;
import java.util.HashMap;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import javax.inject.Inject;

import org.junit.Before;
import org.junit.Test;
import org.junit.runner.RunWith;
import org.ops4j.pax.exam.Configuration;
import org.ops4j.pax.exam.Option;
import org.ops4j.pax.exam.junit.PaxExam;
import org.ops4j.pax.exam.spi.reactors.ExamReactorStrategy;
import org.ops4j.pax.exam.spi.reactors.PerClass;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.NewTopic;
import io.cairn.broker.spi.groups.ConsumerHeartbeatRequest;
import io.cairn.broker.spi.groups.ConsumerHeartbeatResult;
import io.cairn.broker.spi.groups.GroupCoordinator;
import io.cairn.broker.spi.groups.assignor.GroupAssignment;
import io.cairn.broker.spi.groups.assignor.GroupSpec;
import io.cairn.broker.spi.groups.assignor.PartitionAssignor;
import io.cairn.itests.FelixContainer;

/**
 * The wiring of consumer (KIP-848) groups in Felix, from the distribution's features: the
 * coordinator reads subscribed topics from the kernel's {@code LocalBroker} and assigns with the
 * {@code uniform} assignor of the {@code io.cairn.group.assignors} bundle; while that bundle is
 * stopped a joining member's heartbeat waits, and it is answered once the bundle is back; an
 * integrator's assignor registered under the same name with a higher {@code service.ranking}
 * computes the next assignment.
 */
@RunWith(PaxExam.class)
@ExamReactorStrategy(PerClass.class)
public class ConsumerGroupAssignorsIT {

    @Inject
    private BundleContext context;

    @Inject
    private ConfigurationAdmin configAdmin;

    @Configuration
    public Option[] config() throws Exception {
        return FelixContainer.withDataDir("cairn-kip848-it");
    }

    @Before
    public void configureBroker() throws Exception {
        FelixContainer.configureBroker(configAdmin, FelixContainer.brokerConfiguration(4));
    }

    @Test
    public void assignorsComeFromTheirBundleAndCanBeReplacedWhileGroupsRun() throws Exception {
        LocalBroker broker = FelixContainer.service(context, LocalBroker.class);
        broker.createTopic(new NewTopic("kip848-wired", 4, (short) 1, Map.of(), Map.of()), false);
        GroupCoordinator coordinator = FelixContainer.service(context, GroupCoordinator.class);

        ConsumerHeartbeatResult joined = join(coordinator, "first").get(FelixContainer.WAIT.toSeconds(), TimeUnit.SECONDS);
        // The kernel's cluster view may show the new topic a moment later: a heartbeat picks it up.
        AtomicReference<ConsumerHeartbeatResult> first = new AtomicReference<>(joined);
        await("all four partitions, from the kernel's topic and the uniform assignor", () -> {
            ConsumerHeartbeatResult r = coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest("kip848-it",
                    "first", first.get().memberEpoch(), Optional.empty(), Optional.empty(), -1, Optional.empty(),
                    Optional.empty(), Optional.empty(), Optional.empty(), "it-first", "/127.0.0.1"))
                    .toCompletableFuture().join();
            if (r.assignment().isPresent()) {
                first.set(r);
            } else {
                first.set(new ConsumerHeartbeatResult(r.memberId(), r.memberEpoch(), r.heartbeatIntervalMs(),
                        first.get().assignment()));
            }
            return first.get().assignment().map(a -> !a.isEmpty() && a.get(0).partitions().equals(List.of(0, 1, 2, 3)))
                    .orElse(false);
        });
        int epoch = first.get().memberEpoch();

        Bundle assignors = FelixContainer.bundleNamed(context, "io.cairn.group.assignors");
        assignors.stop();
        CompletableFuture<ConsumerHeartbeatResult> waiting = join(coordinator, "second");
        assertFalse("no uniform assignor: the join waits (cairn.plugin.wait.ms)", waiting.isDone());
        assignors.start();
        ConsumerHeartbeatResult second = waiting.get(FelixContainer.WAIT.toSeconds(), TimeUnit.SECONDS);
        assertEquals(epoch + 1, second.memberEpoch());

        // An integrator's "uniform" that gives everything to the member with the greatest id.
        Dictionary<String, Object> props = new Hashtable<>();
        props.put(PartitionAssignor.NAME_PROPERTY, "uniform");
        props.put(Constants.SERVICE_RANKING, 100);
        ServiceRegistration<PartitionAssignor> greedy = context.registerService(PartitionAssignor.class,
                ConsumerGroupAssignorsIT::allToTheLast, props);
        try {
            ConsumerHeartbeatResult third = join(coordinator, "third").get(FelixContainer.WAIT.toSeconds(), TimeUnit.SECONDS);
            assertEquals(epoch + 2, third.memberEpoch());
            await("the replacement's target shows in the group", () -> {
                var members = coordinator.consumerGroupDescribe(List.of("kip848-it")).toCompletableFuture().join()
                        .get(0).members();
                return members.stream().filter(m -> m.memberId().equals("third")).allMatch(
                        m -> !m.targetAssignment().isEmpty() && m.targetAssignment().get(0).partitions().size() == 4);
            });
        } finally {
            greedy.unregister();
        }
    }

    private static GroupAssignment allToTheLast(GroupSpec spec) {
        String last = spec.members().keySet().stream().max(String::compareTo).orElseThrow();
        Map<String, Map<UUID, Set<Integer>>> result = new HashMap<>();
        spec.members().keySet().forEach(m -> result.put(m, Map.of()));
        Map<UUID, Set<Integer>> all = new HashMap<>();
        spec.topics().values().forEach(t -> {
            Set<Integer> ps = new java.util.HashSet<>();
            for (int p = 0; p < t.partitions(); p++) {
                ps.add(p);
            }
            all.put(t.topicId(), ps);
        });
        result.put(last, all);
        return new GroupAssignment(result);
    }

    private static CompletableFuture<ConsumerHeartbeatResult> join(GroupCoordinator coordinator, String memberId) {
        return coordinator.consumerGroupHeartbeat(new ConsumerHeartbeatRequest("kip848-it", memberId, 0, Optional.empty(),
                Optional.empty(), 60_000, Optional.of(List.of("kip848-wired")), Optional.empty(), Optional.empty(),
                Optional.of(List.of()), "it-" + memberId, "/127.0.0.1")).toCompletableFuture();
    }
}
