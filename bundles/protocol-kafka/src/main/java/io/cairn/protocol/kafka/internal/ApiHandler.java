package io.cairn.protocol.kafka.internal;

import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.protocol.ApiMessage;

/**
 * Answers the requests of one Kafka API.
 *
 * <p>Contract: called on the connection's event loop, so it must not block; the returned stage may
 * complete later on any thread (the connection hands the response back to its event loop and keeps
 * responses in request order). The response body must be of the API's {@code *ResponseData}
 * class and valid in {@link KafkaRequest#responseVersion()}. An exception, thrown or completing the
 * stage, closes the connection: expected failures are answered with an error code instead.
 *
 * <p>Thread-safety: implementations are shared by every connection and must be thread-safe.
 */
@FunctionalInterface
interface ApiHandler {

    /** Handles {@code request}, received on {@code connection}. */
    CompletionStage<? extends ApiMessage> handle(KafkaRequest request, ConnectionContext connection);
}
