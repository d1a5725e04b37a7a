package io.cairn.protocol.kafka.internal;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.InitProducerIdRequestData;
import org.apache.kafka.common.message.InitProducerIdResponseData;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.record.internal.RecordBatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.ProducerIdentity;

/**
 * InitProducerId (v0–v6) for idempotent producers: a new producer id with epoch 0 from
 * {@link LocalBroker#newProducerId()}, as Kafka hands out to a producer without a transactional
 * id (which ignores the request's producer id and epoch).
 *
 * <p>Transactions are not implemented: a request with a transactional id is refused with
 * {@code TRANSACTIONAL_ID_AUTHORIZATION_FAILED}, the error Kafka gives a producer that may not use
 * transactional ids. It is fatal for the producer, which is what a user should see instead of
 * endless retries. (A real transactional producer does not get this far: it first looks for its
 * transaction coordinator with FindCoordinator, which this broker does not advertise.)
 *
 * <p>Thread-safety: stateless apart from the thread-safe {@link LocalBroker}.
 */
final class InitProducerIdApi implements ApiHandler {

    private static final Logger LOG = LoggerFactory.getLogger(InitProducerIdApi.class);

    private final LocalBroker broker;

    InitProducerIdApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<InitProducerIdResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        InitProducerIdRequestData body = (InitProducerIdRequestData) request.body();
        InitProducerIdResponseData response = new InitProducerIdResponseData()
                .setProducerId(RecordBatch.NO_PRODUCER_ID).setProducerEpoch(RecordBatch.NO_PRODUCER_EPOCH);
        if (body.transactionalId() != null) {
            LOG.debug("Refusing transactional id {} from {}: transactions are not supported",
                    body.transactionalId(), connection.remoteAddress());
            return CompletableFuture.completedFuture(
                    response.setErrorCode(Errors.TRANSACTIONAL_ID_AUTHORIZATION_FAILED.code()));
        }
        try {
            ProducerIdentity identity = broker.newProducerId();
            response.setErrorCode(Errors.NONE.code()).setProducerId(identity.producerId())
                    .setProducerEpoch(identity.producerEpoch());
        } catch (BrokerException e) {
            response.setErrorCode(KafkaErrors.of(e.error()).code());
        } catch (RuntimeException e) {
            response.setErrorCode(KafkaErrors.of(e, "InitProducerId").code());
        }
        return CompletableFuture.completedFuture(response);
    }
}
