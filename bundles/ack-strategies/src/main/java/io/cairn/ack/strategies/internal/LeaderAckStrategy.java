package io.cairn.ack.strategies.internal;

import org.osgi.service.component.annotations.Component;

import io.cairn.broker.spi.ack.AckOutcome;
import io.cairn.broker.spi.ack.AckStrategy;
import io.cairn.broker.spi.ack.ProduceProgress;

/** {@code acks=1}: done once the leader has appended. Stateless. */
@Component(property = AckStrategy.NAME_PROPERTY + "=leader")
public final class LeaderAckStrategy implements AckStrategy {

    @Override
    public AckOutcome evaluate(ProduceProgress progress) {
        return progress.appended() ? AckOutcome.COMPLETE : AckOutcome.PENDING;
    }
}
