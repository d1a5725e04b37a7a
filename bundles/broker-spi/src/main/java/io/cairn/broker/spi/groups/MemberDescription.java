package io.cairn.broker.spi.groups;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A member in a DescribeGroups response. Metadata and assignment are filled only while the group
 * is {@code Stable} (Kafka's rule); otherwise they are empty.
 *
 * @param memberId the member id
 * @param groupInstanceId its {@code group.instance.id}, if static
 * @param clientId the client id it joined with
 * @param clientHost the client's address
 * @param metadata its metadata for the group's protocol
 * @param assignment its current assignment
 */
@ProviderType
public record MemberDescription(String memberId, Optional<String> groupInstanceId, String clientId, String clientHost,
        byte[] metadata, byte[] assignment) {
}
