package io.cairn.protocol.kafka.internal;

import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A response ready to be written.
 *
 * @param correlationId the correlation id of the request it answers
 * @param headerVersion the response header version for this API and version
 * @param apiVersion the version the body is written in
 * @param body the response body
 */
record KafkaResponse(int correlationId, short headerVersion, short apiVersion, ApiMessage body) {

    /** The response to {@code request}, in the version and header version its API prescribes. */
    static KafkaResponse answering(KafkaRequest request, ApiMessage body) {
        short version = request.responseVersion();
        return new KafkaResponse(request.correlationId(), request.apiKey().responseHeaderVersion(version), version,
                body);
    }
}
