package io.cairn.broker.spi.groups;

import java.util.Locale;
import java.util.Optional;

import org.osgi.annotation.versioning.ProviderType;

/**
 * The state of a group, with the name Kafka reports in ListGroups and DescribeGroups.
 *
 * <p>A classic group moves {@code Empty → PreparingRebalance → CompletingRebalance → Stable} and
 * back to {@code PreparingRebalance} whenever its membership or subscriptions change;
 * {@code Dead} is a group being deleted. A consumer (KIP-848) group is {@code Empty},
 * {@code Assigning}, {@code Reconciling} or {@code Stable}.
 */
@ProviderType
public enum GroupState {
    EMPTY("Empty"),
    PREPARING_REBALANCE("PreparingRebalance"),
    COMPLETING_REBALANCE("CompletingRebalance"),
    STABLE("Stable"),
    DEAD("Dead"),
    ASSIGNING("Assigning"),
    RECONCILING("Reconciling");

    private final String kafkaName;

    GroupState(String kafkaName) {
        this.kafkaName = kafkaName;
    }

    /** Kafka's name of the state, e.g. {@code PreparingRebalance}. */
    public String kafkaName() {
        return kafkaName;
    }

    /** The state with this Kafka name, ignoring case (as ListGroups' states filter does). */
    public static Optional<GroupState> parse(String name) {
        for (GroupState s : values()) {
            if (s.kafkaName.toLowerCase(Locale.ROOT).equals(name.toLowerCase(Locale.ROOT))) {
                return Optional.of(s);
            }
        }
        return Optional.empty();
    }
}
