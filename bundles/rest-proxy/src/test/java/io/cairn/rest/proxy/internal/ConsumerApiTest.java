package io.cairn.rest.proxy.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.CompletionException;

import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;

/** The consume API's content negotiation and error bodies, without a broker. */
class ConsumerApiTest {

    private static final String BINARY = RestApi.BINARY_FORMAT;
    private static final String JSON = RestApi.JSON_FORMAT;

    @Test
    void acceptMustAdmitTheInstancesFormat() {
        assertTrue(ConsumerApi.accepts(null, BINARY));
        assertTrue(ConsumerApi.accepts("", BINARY));
        assertTrue(ConsumerApi.accepts("*/*", JSON));
        assertTrue(ConsumerApi.accepts("application/vnd.kafka.binary.v2+json", BINARY));
        assertTrue(ConsumerApi.accepts("application/json;q=0.5, application/vnd.kafka.json.v2+json", JSON));
        assertTrue(ConsumerApi.accepts("APPLICATION/VND.KAFKA.BINARY.V2+JSON; charset=utf-8", BINARY));
        assertFalse(ConsumerApi.accepts("application/vnd.kafka.json.v2+json", BINARY));
        assertFalse(ConsumerApi.accepts("application/vnd.kafka.avro.v2+json", JSON));
        assertFalse(ConsumerApi.accepts("text/html", BINARY));
    }

    @Test
    void failuresBecomeTheProxysErrorBodies() {
        RestApi.Response notFound = ConsumerApi.errorResponse(new CompletionException(RestError.instanceNotFound()));
        assertEquals(404, notFound.status());
        assertEquals("{\"error_code\":40403,\"message\":\"Consumer instance not found.\"}", notFound.body());

        RestApi.Response illegal = ConsumerApi.errorResponse(RestError.illegalState("Consumer is not subscribed to any topics or assigned any partitions"));
        assertEquals(409, illegal.status());
        assertEquals("{\"error_code\":40903,\"message\":\"Illegal state: Consumer is not subscribed to any topics or assigned any partitions\"}",
                illegal.body());

        RestApi.Response kafka = ConsumerApi.errorResponse(new CompletionException(
                new BrokerException(BrokerError.COORDINATOR_NOT_AVAILABLE, "The broker has no group coordinator")));
        assertEquals(500, kafka.status());
        assertEquals("{\"error_code\":50002,\"message\":\"Kafka error: COORDINATOR_NOT_AVAILABLE: The broker has no group coordinator\"}",
                kafka.body());
    }
}
