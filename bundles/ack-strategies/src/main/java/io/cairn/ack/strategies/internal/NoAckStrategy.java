package io.cairn.ack.strategies.internal;

import org.osgi.service.component.annotations.Component;

import io.cairn.broker.spi.ack.AckOutcome;
import io.cairn.broker.spi.ack.AckStrategy;
import io.cairn.broker.spi.ack.ProduceProgress;

/**
 * {@code acks=0}: the producer asked for no answer, so the request is done as soon as it is
 * handed to the log; nothing is refused for lack of replicas. Stateless.
 */
@Component(property = AckStrategy.NAME_PROPERTY + "=none")
public final class NoAckStrategy implements AckStrategy {

    @Override
    public boolean respondsToProducer() {
        return false;
    }

    @Override
    public AckOutcome evaluate(ProduceProgress progress) {
        return AckOutcome.COMPLETE;
    }
}
