package io.cairn.broker.spi.groups;

import java.util.Locale;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/** Which protocol a group uses, with the name Kafka reports in ListGroups v5+. */
@ProviderType
public enum GroupType {
    /** JoinGroup/SyncGroup/Heartbeat with a client-side assignor (and offset-only groups). */
    CLASSIC("classic"),
    /** KIP-848: ConsumerGroupHeartbeat with a server-side assignor. */
    CONSUMER("consumer");

    private final String kafkaName;

    GroupType(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** Kafka's name, {@code classic} or {@code consumer}. */
    public String kafkaName() {
        return kafkaName;
    }

    /** The type with this Kafka name, ignoring case. */
    public static Optional<GroupType> parse(String name) {
        for (GroupType t : values()) {
            if (t.kafkaName.equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(t);
            }
        }
        return Optional.empty();
    }
}
