package io.cairn.protocol.kafka.internal;

import java.util.EnumSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.Function;

import org.apache.kafka.common.message.ListGroupsRequestData;
import org.apache.kafka.common.message.ListGroupsResponseData;
import org.apache.kafka.common.message.ListGroupsResponseData.ListedGroup;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.groups.GroupListing;
import io.cairn.broker.spi.groups.GroupState;
import io.cairn.broker.spi.groups.GroupType;

/**
 * ListGroups (v0–v5) through {@link io.cairn.broker.spi.groups.GroupCoordinator#listGroups}, with
 * the state filter (v4+, KIP-518) and the type filter (v5+, KIP-848). A filter naming only states
 * or types that do not exist matches no group, as in Kafka (where they parse to UNKNOWN).
 *
 * <p>Thread-safety: stateless apart from the thread-safe slot.
 */
final class ListGroupsApi implements ApiHandler {

    private final GroupCoordinatorSlot groups;

    ListGroupsApi(GroupCoordinatorSlot groups) {
        this.groups = groups;
    }

    @Override
    public CompletionStage<ListGroupsResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        ListGroupsRequestData body = (ListGroupsRequestData) request.body();
        short version = request.apiVersion();
        Optional<Set<GroupState>> states = filter(version >= 4 ? body.statesFilter() : List.of(), GroupState.class,
                GroupState::parse);
        Optional<Set<GroupType>> types = filter(version >= 5 ? body.typesFilter() : List.of(), GroupType.class,
                GroupType::parse);
        if (states.isEmpty() || types.isEmpty()) {
            return CompletableFuture.completedFuture(new ListGroupsResponseData().setErrorCode(Errors.NONE.code()));
        }
        return groups.ask(c -> c.listGroups(states.get(), types.get()), listed -> {
            ListGroupsResponseData response = new ListGroupsResponseData().setErrorCode(Errors.NONE.code());
            for (GroupListing group : listed) {
                ListedGroup answered = new ListedGroup().setGroupId(group.groupId())
                        .setProtocolType(group.protocolType() == null ? "" : group.protocolType());
                if (version >= 4) {
                    answered.setGroupState(group.state().kafkaName());
                }
                if (version >= 5) {
                    answered.setGroupType(group.type().kafkaName());
                }
                response.groups().add(answered);
            }
            return response;
        }, failure -> new ListGroupsResponseData().setErrorCode(KafkaErrors.of(failure, "ListGroups").code()));
    }

    /**
     * The parsed filter: empty means "all"; {@link Optional#empty()} means the filter named only
     * unknown values, so nothing matches.
     */
    private static <E extends Enum<E>> Optional<Set<E>> filter(List<String> names, Class<E> type,
            Function<String, Optional<E>> parse) {
        Set<E> parsed = EnumSet.noneOf(type);
        names.forEach(name -> parse.apply(name).ifPresent(parsed::add));
        return !names.isEmpty() && parsed.isEmpty() ? Optional.empty() : Optional.of(parsed);
    }
}
