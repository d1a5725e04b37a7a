package io.cairn.broker.spi.groups;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

import io.cairn.broker.spi.cluster.BrokerError;

/**
 * The outcome for one group of a DeleteGroups request.
 *
 * @param groupId the group
 * @param error {@code GROUP_ID_NOT_FOUND}, {@code NON_EMPTY_GROUP}, {@code INVALID_GROUP_ID},
 *     {@code COORDINATOR_NOT_AVAILABLE}; empty when the group and its offsets are gone
 */
@ProviderType
public record GroupDeletion(String groupId, Optional<BrokerError> error) {
}
