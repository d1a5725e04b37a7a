package io.cairn.protocol.kafka.internal;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.DeleteGroupsRequestData;
import org.apache.kafka.common.message.DeleteGroupsResponseData;
import org.apache.kafka.common.message.DeleteGroupsResponseData.DeletableGroupResult;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.groups.GroupDeletion;

/**
 * DeleteGroups (v0–v3) through {@link io.cairn.broker.spi.groups.GroupCoordinator#deleteGroups},
 * one error per group ({@code NON_EMPTY_GROUP}, {@code GROUP_ID_NOT_FOUND}).
 *
 * <p>Thread-safety: stateless apart from the thread-safe slot.
 */
final class DeleteGroupsApi implements ApiHandler {

    private final GroupCoordinatorSlot groups;

    DeleteGroupsApi(GroupCoordinatorSlot groups) {
        this.groups = groups;
    }

    @Override
    public CompletionStage<DeleteGroupsResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        List<String> ids = ((DeleteGroupsRequestData) request.body()).groupsNames();
        return groups.ask(c -> c.deleteGroups(ids), deleted -> {
            DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            for (GroupDeletion group : deleted) {
                response.results().add(new DeletableGroupResult().setGroupId(group.groupId())
                        .setErrorCode(group.error().map(KafkaErrors::of).orElse(Errors.NONE).code()));
            }
            return response;
        }, failure -> {
            Errors error = KafkaErrors.of(failure, "DeleteGroups");
            DeleteGroupsResponseData response = new DeleteGroupsResponseData();
            // A group named twice is answered once: the results are a keyed collection.
            ids.stream().distinct().forEach(id -> response.results().add(new DeletableGroupResult().setGroupId(id)
                    .setErrorCode(error.code())));
            return response;
        });
    }
}
