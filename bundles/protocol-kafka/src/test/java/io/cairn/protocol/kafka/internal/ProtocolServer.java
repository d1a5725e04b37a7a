package io.cairn.protocol.kafka.internal;

import java.io.IOException;
import java.net.InetSocketAddress;

import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

import io.cairn.group.coordinator.internal.StandaloneGroupCoordinator;

/**
 * Runs a {@link KafkaProtocolComponent} over a {@link TestBroker} for each test, built directly as
 * SCR would (constructor, then deactivate), without a framework. Register with
 * {@code @RegisterExtension}.
 */
final class ProtocolServer implements BeforeEachCallback, AfterEachCallback {

    private final TestBroker broker;
    private KafkaProtocolComponent component;
    private boolean withGroups;
    private StandaloneGroupCoordinator groups;

    ProtocolServer(TestBroker broker) {
        this.broker = broker;
    }

    /** A view of a component a test started itself (not registered as an extension). */
    static ProtocolServer over(TestBroker broker, KafkaProtocolComponent component) {
        ProtocolServer server = new ProtocolServer(broker);
        server.component = component;
        return server;
    }

    /**
     * Also runs the real group coordinator (in-memory offsets, no initial rebalance delay), bound
     * to the component as SCR binds it.
     */
    ProtocolServer withGroupCoordinator() {
        withGroups = true;
        return this;
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        component = new KafkaProtocolComponent(broker);
        if (withGroups) {
            groups = new StandaloneGroupCoordinator(TestBroker.LOCAL_ID, 0, broker);
            component.bindGroupCoordinator(groups.coordinator());
        }
    }

    @Override
    public void afterEach(ExtensionContext context) throws InterruptedException {
        component.deactivate();
        if (groups != null) {
            component.unbindGroupCoordinator(groups.coordinator());
            groups.close();
        }
    }

    /** The broker served. */
    TestBroker broker() {
        return broker;
    }

    /** Where the {@code PLAINTEXT} listener is bound. */
    InetSocketAddress plaintext() {
        return address("PLAINTEXT");
    }

    /** Where the {@code INTERNAL} listener is bound. */
    InetSocketAddress internal() {
        return address("INTERNAL");
    }

    private InetSocketAddress address(String listener) {
        return component.boundAddress(listener).orElseThrow();
    }

    /** {@code host:port} of the PLAINTEXT listener, for client bootstrap. */
    String bootstrap() {
        return "127.0.0.1:" + plaintext().getPort();
    }

    RawKafkaClient connect() throws IOException {
        return new RawKafkaClient(plaintext());
    }
}
