package io.cairn.protocol.kafka.internal;

import org.apache.kafka.common.protocol.ApiKeys;
import org.apache.kafka.common.protocol.ApiMessage;
import org.apache.kafka.common.requests.RequestHeader;

/**
 * One decoded request.
 *
 * @param header the request header
 * @param body the request body; for an ApiVersions request of a version newer than supported, an
 *     empty body (its fields are not read, as in Kafka)
 * @param versionUnsupported whether this is such a too-new ApiVersions request
 */
record KafkaRequest(RequestHeader header, ApiMessage body, boolean versionUnsupported) {

    ApiKeys apiKey() {
        return header.apiKey();
    }

    short apiVersion() {
        return header.apiVersion();
    }

    int correlationId() {
        return header.correlationId();
    }

    /**
     * The version the response is written in: the request's, except for a too-new ApiVersions
     * request, which is answered in version 0 so that any client can read the error and the
     * versions it may retry with.
     */
    short responseVersion() {
        return versionUnsupported ? 0 : apiVersion();
    }
}
