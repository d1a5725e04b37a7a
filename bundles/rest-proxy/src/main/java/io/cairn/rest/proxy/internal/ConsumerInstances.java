package io.cairn.rest.proxy.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.groups.GroupCoordinator;

/**
 * The REST proxy's consumer instances, by group and name, and their expiry: an instance not used
 * by any request for {@code consumer.instance.timeout.ms} (default 300000, Confluent's key and
 * default) is closed as if deleted — it commits if auto-commit is on and leaves its group.
 *
 * <p>Thread-safe.
 */
final class ConsumerInstances {

    private static final Logger LOG = LoggerFactory.getLogger(ConsumerInstances.class);

    static final String INSTANCE_TIMEOUT_KEY = "consumer.instance.timeout.ms";
    static final long DEFAULT_INSTANCE_TIMEOUT_MS = 300_000;

    private final ConcurrentHashMap<String, ConsumerInstance> instances = new ConcurrentHashMap<>();
    private final Supplier<GroupCoordinator> coordinator;
    private final LocalBroker broker;
    private final ScheduledExecutorService timer;
    private final Executor workers;
    private final long timeoutNanos;
    private final ScheduledFuture<?> sweeper;

    ConsumerInstances(Supplier<GroupCoordinator> coordinator, LocalBroker broker, ScheduledExecutorService timer,
            Executor workers, long instanceTimeoutMs) {
        this.coordinator = coordinator;
        this.broker = broker;
        this.timer = timer;
        this.workers = workers;
        this.timeoutNanos = TimeUnit.MILLISECONDS.toNanos(instanceTimeoutMs);
        // Checked ten times per timeout (at least every 100 ms, at most every 5 s): an idle instance
        // lives at most a tenth longer than the timeout.
        long every = Math.max(100, Math.min(5_000, instanceTimeoutMs / 10));
        this.sweeper = timer.scheduleWithFixedDelay(this::expireIdle, every, every, TimeUnit.MILLISECONDS);
    }

    private static String key(String group, String name) {
        return group + '\u0000' + name;
    }

    /**
     * Creates an instance.
     *
     * @throws RestError 409 40902 if the group already has an instance of that name
     */
    ConsumerInstance create(ConsumerInstance.Config config) {
        ConsumerInstance instance = new ConsumerInstance(config, coordinator, broker, timer, workers);
        if (instances.putIfAbsent(key(config.group(), config.name()), instance) != null) {
            throw new RestError(409, RestError.CONSUMER_ALREADY_EXISTS,
                    "Consumer with specified consumer ID already exists in the specified consumer group.");
        }
        LOG.debug("REST consumer {}/{} created ({})", config.group(), config.name(), config);
        return instance;
    }

    /**
     * The instance, marked as used now.
     *
     * @throws RestError 404 40403 if there is none
     */
    ConsumerInstance get(String group, String name) {
        ConsumerInstance instance = instances.get(key(group, name));
        if (instance == null || instance.isClosed()) {
            throw RestError.instanceNotFound();
        }
        instance.touch();
        return instance;
    }

    /** Removes and closes an instance; {@link RestError} 40403 if there is none. */
    CompletableFuture<Void> delete(String group, String name) {
        ConsumerInstance instance = instances.remove(key(group, name));
        if (instance == null) {
            throw RestError.instanceNotFound();
        }
        return instance.close("the REST consumer instance was deleted").toCompletableFuture();
    }

    private void expireIdle() {
        long now = System.nanoTime();
        instances.forEach((k, instance) -> {
            if (instance.idleLongerThan(timeoutNanos, now) && instances.remove(k, instance)) {
                LOG.info("REST consumer instance {} of group {} expired after {} ms without a request",
                        instance.config.name(), instance.config.group(), TimeUnit.NANOSECONDS.toMillis(timeoutNanos));
                instance.close("the REST consumer instance expired");
            }
        });
    }

    /** Closes every instance, waiting a bounded time for them to leave their groups. */
    void closeAll() {
        sweeper.cancel(false);
        List<CompletableFuture<Void>> closing = new ArrayList<>();
        instances.forEach((k, instance) -> {
            if (instances.remove(k, instance)) {
                closing.add(instance.close("the REST proxy stopped").toCompletableFuture());
            }
        });
        try {
            CompletableFuture.allOf(closing.toArray(CompletableFuture[]::new)).get(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (TimeoutException | java.util.concurrent.ExecutionException e) {
            LOG.debug("Not every REST consumer left its group cleanly: {}", e.toString());
        }
    }
}
