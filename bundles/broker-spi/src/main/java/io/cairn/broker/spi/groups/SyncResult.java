package io.cairn.broker.spi.groups;

import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A successful SyncGroup response.
 *
 * @param protocolType the group's protocol type (SyncGroup v5+)
 * @param protocolName the generation's protocol (SyncGroup v5+)
 * @param assignment this member's assignment as the leader wrote it; empty if it got none
 */
@ProviderType
public record SyncResult(Optional<String> protocolType, Optional<String> protocolName, byte[] assignment) {
}
