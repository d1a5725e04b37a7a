package io.cairn.protocol.kafka.internal;

import org.apache.kafka.common.message.ApiVersionsResponseData.ApiVersion;
import org.apache.kafka.common.protocol.ApiKeys;

/**
 * An API this broker implements, the range of versions it answers, and its handler.
 *
 * @param apiKey the API
 * @param minVersion the oldest version answered
 * @param maxVersion the newest version answered
 * @param handler the handler
 */
record SupportedApi(ApiKeys apiKey, short minVersion, short maxVersion, ApiHandler handler) {

    SupportedApi {
        if (minVersion < apiKey.oldestVersion() || maxVersion > apiKey.latestVersion() || minVersion > maxVersion) {
            // Fails fast if the embedded kafka-clients cannot read or write a version claimed here.
            throw new IllegalStateException(apiKey.name + " versions " + minVersion + ".." + maxVersion
                    + " are not all known to kafka-clients, which has " + apiKey.oldestVersion() + ".."
                    + apiKey.latestVersion());
        }
    }

    /** Whether {@code version} is answered. */
    boolean supports(short version) {
        return version >= minVersion && version <= maxVersion;
    }

    /** This API's entry in an ApiVersions response. */
    ApiVersion toApiVersion() {
        return new ApiVersion().setApiKey(apiKey.id).setMinVersion(minVersion).setMaxVersion(maxVersion);
    }
}
