package io.cairn.protocol.kafka.internal;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.FindCoordinatorRequestData;
import org.apache.kafka.common.message.FindCoordinatorResponseData;
import org.apache.kafka.common.message.FindCoordinatorResponseData.Coordinator;
import org.apache.kafka.common.protocol.Errors;
import org.apache.kafka.common.requests.FindCoordinatorRequest.CoordinatorType;

import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.groups.GroupCoordinator;

/**
 * FindCoordinator (v0–v6): for key type GROUP, the broker {@link GroupCoordinator#coordinatorFor}
 * names, at its endpoint on the listener the request came in through (see {@link AdvertisedNodes}).
 * v0–v3 ask for one key, v4+ for a batch in {@code coordinatorKeys}, each answered on its own.
 * Key type TRANSACTION answers {@code COORDINATOR_NOT_AVAILABLE}: there is no transaction
 * coordinator; an unknown key type answers {@code INVALID_REQUEST}.
 *
 * <p>Thread-safety: stateless apart from the thread-safe broker and slot.
 */
final class FindCoordinatorApi implements ApiHandler {

    private final LocalBroker broker;
    private final GroupCoordinatorSlot groups;

    FindCoordinatorApi(LocalBroker broker, GroupCoordinatorSlot groups) {
        this.broker = broker;
        this.groups = groups;
    }

    @Override
    public CompletionStage<FindCoordinatorResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        FindCoordinatorRequestData body = (FindCoordinatorRequestData) request.body();
        FindCoordinatorResponseData response = new FindCoordinatorResponseData();
        if (request.apiVersion() < 4) {
            Coordinator found = find(body.key(), body.keyType(), connection);
            // v0 has no error message.
            response.setErrorCode(found.errorCode())
                    .setErrorMessage(request.apiVersion() >= 1 ? found.errorMessage() : null)
                    .setNodeId(found.nodeId()).setHost(found.host()).setPort(found.port());
        } else {
            for (String key : body.coordinatorKeys()) {
                response.coordinators().add(find(key, body.keyType(), connection));
            }
        }
        return CompletableFuture.completedFuture(response);
    }

    private Coordinator find(String key, byte keyType, ConnectionContext connection) {
        Coordinator result = new Coordinator().setKey(key);
        if (keyType != CoordinatorType.GROUP.id()) {
            Errors error = keyType == CoordinatorType.TRANSACTION.id() ? Errors.COORDINATOR_NOT_AVAILABLE
                    : Errors.INVALID_REQUEST;
            return failed(result, error, keyType == CoordinatorType.TRANSACTION.id()
                    ? "Transactions are not supported" : "Unknown coordinator key type " + keyType);
        }
        Optional<GroupCoordinator> coordinator = groups.current();
        if (coordinator.isEmpty()) {
            return failed(result, Errors.COORDINATOR_NOT_AVAILABLE, "The group coordinator is not available");
        }
        int id = coordinator.get().coordinatorFor(key);
        List<AdvertisedNodes.Node> nodes = AdvertisedNodes.forConnection(broker, broker.cluster(), connection);
        return nodes.stream().filter(node -> node.id() == id).findFirst()
                .map(node -> result.setErrorCode(Errors.NONE.code()).setErrorMessage(null).setNodeId(node.id())
                        .setHost(node.host()).setPort(node.port()))
                .orElseGet(() -> failed(result, Errors.COORDINATOR_NOT_AVAILABLE,
                        "The coordinator, broker " + id + ", has no endpoint"));
    }

    private static Coordinator failed(Coordinator result, Errors error, String message) {
        return result.setErrorCode(error.code()).setErrorMessage(message).setNodeId(-1).setHost("").setPort(-1);
    }
}
