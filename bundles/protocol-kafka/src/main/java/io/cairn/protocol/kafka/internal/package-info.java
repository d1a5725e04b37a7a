/**
 * The Kafka wire protocol front end. Not exported: nothing here is API.
 *
 * <p>{@link io.cairn.protocol.kafka.internal.KafkaProtocolComponent} binds one Netty server per
 * configured listener of the kernel's {@link io.cairn.broker.spi.cluster.LocalBroker}. Each
 * accepted connection gets the pipeline built by
 * {@link io.cairn.protocol.kafka.internal.KafkaChannelInitializer}: a size-checked frame decoder,
 * a request decoder built on kafka-clients' own generated message classes (embedded privately in
 * this bundle), a response encoder that splices log regions into fetch responses as file regions
 * (zero copy), and {@link io.cairn.protocol.kafka.internal.KafkaConnection}, which runs the
 * per-connection state machine and keeps responses in request order.
 *
 * <p>Threads: Netty event loops ({@code num.network.threads}) only frame, decode, encode and write.
 * Request handlers ({@link io.cairn.protocol.kafka.internal.KafkaApis}) run on a pool of
 * {@code num.io.threads}, one request of a connection at a time, in request order
 * ({@link io.cairn.protocol.kafka.internal.RequestStrand}), because they call the kernel, which may
 * block. What waits longer — acknowledgements, long-polling fetches — is a completion stage; the
 * strand moves on meanwhile.
 *
 * <p>Kafka's rule for anything a broker cannot understand is applied throughout: an unknown API,
 * an unsupported version (except ApiVersions, which has a defined fallback) or a malformed frame
 * closes that connection and no other.
 */
package io.cairn.protocol.kafka.internal;
