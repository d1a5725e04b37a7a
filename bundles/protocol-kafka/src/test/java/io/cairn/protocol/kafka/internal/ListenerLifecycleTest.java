package io.cairn.protocol.kafka.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.common.message.MetadataRequestData;
import org.apache.kafka.common.message.MetadataResponseData;
import org.apache.kafka.common.protocol.ApiKeys;
import org.junit.jupiter.api.Test;

import io.cairn.broker.spi.cluster.Endpoint;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.netty.channel.EventLoopGroup;
import io.netty.util.concurrent.DefaultThreadFactory;

/**
 * Activation and deactivation as SCR drives them: ports are bound, freed, and bound again; and the
 * NIO fallback transport.
 */
class ListenerLifecycleTest {

    @Test
    void deactivationFreesThePortForTheNextActivation() throws IOException {
        TestBroker broker = TestBroker.singleNode();
        KafkaProtocolComponent first = new KafkaProtocolComponent(broker);
        InetSocketAddress address = first.boundAddress("PLAINTEXT").orElseThrow();
        first.deactivate();

        assertThrows(ConnectException.class, () -> new Socket(address.getAddress(), address.getPort()).close());

        // Same port again, at once: a bundle restart must not wait for TIME_WAIT or a quiet period.
        KafkaProtocolComponent second = new KafkaProtocolComponent(fixedPort(broker, address.getPort()));
        try (RawKafkaClient client = new RawKafkaClient(address)) {
            assertEquals(7, client.call(ApiKeys.API_VERSIONS, (short) 3, 7, RawKafkaClient.apiVersionsRequest())
                    .correlationId());
        } finally {
            second.deactivate();
        }
    }

    @Test
    void aListenerThatCannotBeBoundFailsActivation() throws IOException {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            IllegalStateException failure = assertThrows(IllegalStateException.class,
                    () -> new KafkaProtocolComponent(fixedPort(TestBroker.singleNode(), taken.getLocalPort())));
            assertTrue(failure.getMessage().contains(String.valueOf(taken.getLocalPort())), failure.getMessage());
        }
    }

    @Test
    void theNioTransportServesLikeEpoll() throws IOException {
        // Epoll is chosen wherever it loads; NIO is the fallback elsewhere and must work the same.
        TestBroker broker = TestBroker.singleNode();
        EventLoopGroup group = NettyTransport.NIO.newEventLoopGroup(1, new DefaultThreadFactory("nio-test", true));
        Endpoint endpoint = new Endpoint("PLAINTEXT", "PLAINTEXT", "127.0.0.1", 0);
        try (RequestThreads threads = new RequestThreads(2);
                ListenerServer server = ListenerServer.bind(endpoint, NettyTransport.NIO, group, group,
                        new KafkaChannelInitializer("PLAINTEXT", TestBroker.MAX_REQUEST_BYTES,
                                new KafkaApis(broker, threads, new GroupCoordinatorSlot()), threads.requests()));
                RawKafkaClient client = new RawKafkaClient(server.boundAddress())) {
            MetadataResponseData metadata = (MetadataResponseData) client
                    .call(ApiKeys.METADATA, (short) 12, 3, new MetadataRequestData().setTopics(null)).body();
            assertEquals(server.boundAddress().getPort(), metadata.brokers().find(TestBroker.LOCAL_ID).port());
        } finally {
            group.shutdownGracefully(0, 1, TimeUnit.SECONDS).syncUninterruptibly();
        }
    }

    /** {@code broker} with a single PLAINTEXT listener on 127.0.0.1:{@code port}. */
    private static LocalBroker fixedPort(TestBroker broker, int port) {
        return broker.withListeners(List.of(new Endpoint("PLAINTEXT", "PLAINTEXT", "127.0.0.1", port)));
    }
}
