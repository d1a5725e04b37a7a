package io.cairn.broker.spi.cluster;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A listener address, as in Kafka's {@code listeners=PLAINTEXT://host:port}.
 *
 * @param listenerName the listener name, e.g. {@code PLAINTEXT}
 * @param securityProtocol the security protocol, e.g. {@code PLAINTEXT}
 * @param host the host name or address; empty means every interface (bind) or the canonical host
 *     name (advertise)
 * @param port the TCP port; 0 means a free port chosen at bind time
 */
@ProviderType
public record Endpoint(String listenerName, String securityProtocol, String host, int port) {

    /** Kafka's textual form, {@code NAME://host:port}. */
    public String connectionString() {
        return listenerName + "://" + host + ":" + port;
    }
}
