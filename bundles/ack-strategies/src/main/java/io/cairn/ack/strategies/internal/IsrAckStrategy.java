package io.cairn.ack.strategies.internal;

import org.osgi.service.component.annotations.Component;

import io.cairn.broker.spi.ack.AckOutcome;
import io.cairn.broker.spi.ack.AckStrategy;
import io.cairn.broker.spi.ack.ProduceProgress;

/**
 * {@code acks=all}, Kafka's rule: refuse before appending when the in-sync set is smaller than
 * {@code min.insync.replicas}; after appending, done when every in-sync replica has the records.
 * If the set shrank below the minimum meanwhile, the records are appended but the producer hears
 * {@code NOT_ENOUGH_REPLICAS_AFTER_APPEND}. Stateless.
 */
@Component(property = AckStrategy.NAME_PROPERTY + "=isr")
public final class IsrAckStrategy implements AckStrategy {

    @Override
    public AckOutcome evaluate(ProduceProgress p) {
        if (!p.appended()) {
            return p.inSyncReplicas() < p.minInsyncReplicas() ? AckOutcome.NOT_ENOUGH_REPLICAS : AckOutcome.PENDING;
        }
        if (p.replicasCaughtUp() < p.inSyncReplicas()) {
            return AckOutcome.PENDING;
        }
        return p.inSyncReplicas() < p.minInsyncReplicas() ? AckOutcome.NOT_ENOUGH_REPLICAS_AFTER_APPEND
                : AckOutcome.COMPLETE;
    }
}
