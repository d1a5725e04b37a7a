package io.cairn.group.coordinator.internal;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.clients.consumer.ConsumerPartitionAssignor;
import org.apache.kafka.clients.consumer.internals.ConsumerProtocol;
import org.apache.kafka.common.TopicPartition;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.groups.GroupProtocol;
import io.cairn.broker.spi.groups.HeartbeatRequest;
import io.cairn.broker.spi.groups.JoinRequest;
import io.cairn.broker.spi.groups.JoinResult;
import io.cairn.broker.spi.groups.SyncRequest;
import io.cairn.broker.spi.groups.SyncResult;

/**
 * A coordinator on a manual clock with an in-memory store, and the client side of the protocol:
 * subscriptions and assignments are made with kafka-clients' own {@code ConsumerProtocol}.
 */
final class Harness {

    static final int SESSION_MS = 10_000;
    static final int REBALANCE_MS = 60_000;

    final ManualScheduler clock = new ManualScheduler();
    volatile CoordinatorConfig config;
    final MemoryOffsetStore store = new MemoryOffsetStore();
    final SelectedOffsetStore selected;
    final CoordinatorCore coordinator;

    Harness() {
        this(Map.of(), true);
    }

    Harness(Map<String, String> overrides, boolean withStore) {
        config = CoordinatorConfig.of(overrides);
        selected = new SelectedOffsetStore(config.offsetStore(), clock, Runnable::run, () -> config.pluginWaitMs());
        if (withStore) {
            selected.added(new SelectedOffsetStore.Candidate(1, 0, config.offsetStore(), store));
        }
        coordinator = new CoordinatorCore(clock, () -> config, selected);
    }

    static byte[] subscription(String... topics) {
        return bytes(ConsumerProtocol.serializeSubscription(new ConsumerPartitionAssignor.Subscription(List.of(topics))));
    }

    static byte[] assignment(String topic, int... partitions) {
        return bytes(ConsumerProtocol.serializeAssignment(new ConsumerPartitionAssignor.Assignment(
                Arrays.stream(partitions).mapToObj(p -> new TopicPartition(topic, p)).toList())));
    }

    static List<TopicPartition> partitions(byte[] assignment) {
        return ConsumerProtocol.deserializeAssignment(ByteBuffer.wrap(assignment)).partitions();
    }

    private static byte[] bytes(ByteBuffer b) {
        byte[] a = new byte[b.remaining()];
        b.get(a);
        return a;
    }

    static JoinRequest joinRequest(String group, String memberId, String clientId, Optional<String> instance,
            byte[] metadata) {
        return new JoinRequest(group, memberId, instance, clientId, "/127.0.0.1", SESSION_MS, REBALANCE_MS, "consumer",
                List.of(new GroupProtocol("range", metadata)), false, false, Optional.empty());
    }

    CompletableFuture<JoinResult> join(String group, String memberId, String clientId, byte[] metadata) {
        return coordinator.joinGroup(joinRequest(group, memberId, clientId, Optional.empty(), metadata))
                .toCompletableFuture();
    }

    CompletableFuture<JoinResult> joinStatic(String group, String memberId, String instance, byte[] metadata) {
        return coordinator.joinGroup(joinRequest(group, memberId, instance + "-client", Optional.of(instance), metadata))
                .toCompletableFuture();
    }

    CompletableFuture<SyncResult> sync(String group, JoinResult joined, Map<String, byte[]> assignments) {
        return coordinator.syncGroup(new SyncRequest(group, joined.generationId(), joined.memberId(), Optional.empty(),
                Optional.of("consumer"), Optional.of("range"), assignments)).toCompletableFuture();
    }

    CompletableFuture<Void> heartbeat(String group, int generation, String memberId) {
        return coordinator.heartbeat(new HeartbeatRequest(group, generation, memberId, Optional.empty()))
                .toCompletableFuture();
    }

    static <T> T done(CompletionStage<T> stage) {
        CompletableFuture<T> f = stage.toCompletableFuture();
        assertTrue(f.isDone(), "expected the response to be there by now");
        return f.join();
    }

    static BrokerError failure(CompletionStage<?> stage) {
        CompletableFuture<?> f = stage.toCompletableFuture();
        assertTrue(f.isDone(), "expected the response to be there by now");
        try {
            f.join();
        } catch (CompletionException e) {
            if (e.getCause() instanceof BrokerException b) {
                return b.error();
            }
            throw e;
        }
        return fail("expected a failure, got " + f.join());
    }
}
