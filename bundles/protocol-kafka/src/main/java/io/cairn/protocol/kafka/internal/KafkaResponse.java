package io.cairn.protocol.kafka.internal;

import org.apache.kafka.common.protocol.ApiMessage;

/**
 * A response ready to be written, or the decision to write none.
 *
 * @param correlationId the correlation id of the request it answers
 * @param headerVersion the response header version for this API and version
 * @param apiVersion the version the body is written in
 * @param body the response body; {@code null} when the request gets no response at all (a produce
 *     request with {@code acks=0}), which still holds its place in the response order
 */
record KafkaResponse(int correlationId, short headerVersion, short apiVersion, ApiMessage body) {

    /** The response to {@code request}, in the version and header version its API prescribes. */
    static KafkaResponse answering(KafkaRequest request, ApiMessage body) {
        short version = request.responseVersion();
        return new KafkaResponse(request.correlationId(), request.apiKey().responseHeaderVersion(version), version,
                body);
    }

    /** Whether anything is to be written. */
    boolean hasBody() {
        return body != null;
    }

    /** Frees what the body holds but has not sent (log regions of a fetch response). */
    void release() {
        LogRegionRecords.releaseAll(body);
    }
}
