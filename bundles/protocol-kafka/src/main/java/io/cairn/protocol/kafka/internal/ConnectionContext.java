package io.cairn.protocol.kafka.internal;

import java.net.InetSocketAddress;
import java.util.concurrent.CompletionStage;

/**
 * Where a request came from and in through which listener: what a handler needs to answer
 * listener-dependent questions such as which advertised endpoint a client should be told, and to
 * give up waiting for a client that has gone.
 *
 * @param listenerName the name of the listener that accepted the connection
 * @param localAddress the broker-side address of the connection
 * @param remoteAddress the client's address
 * @param closed completes when the connection closes, on its event loop; a delayed operation
 *     waiting for this client stops waiting then
 */
record ConnectionContext(String listenerName, InetSocketAddress localAddress, InetSocketAddress remoteAddress,
        CompletionStage<Void> closed) {
}
