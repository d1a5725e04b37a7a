package io.cairn.protocol.kafka.internal;

import java.net.InetSocketAddress;

/**
 * Where a request came from and in through which listener: what a handler needs to answer
 * listener-dependent questions such as which advertised endpoint a client should be told.
 *
 * @param listenerName the name of the listener that accepted the connection
 * @param localAddress the broker-side address of the connection
 * @param remoteAddress the client's address
 */
record ConnectionContext(String listenerName, InetSocketAddress localAddress, InetSocketAddress remoteAddress) {
}
