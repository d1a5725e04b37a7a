package io.cairn.group.coordinator.internal;

import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.groups.ConsumerHeartbeatRequest;

/**
 * The checks Kafka makes of a ConsumerGroupHeartbeat before it looks at the group
 * ({@code throwIfConsumerGroupHeartbeatRequestIsInvalid}): which fields each kind of request must
 * carry. Stateless.
 */
final class HeartbeatValidation {

    private HeartbeatValidation() {
    }

    /** The error for a malformed request, or {@code null}. */
    static BrokerException check(ConsumerHeartbeatRequest r, CoordinatorConfig config) {
        if (r.groupId() == null || r.groupId().isEmpty()) {
            return invalid(BrokerError.INVALID_GROUP_ID, "GroupId can't be empty.");
        }
        if (r.instanceId().map(String::isEmpty).orElse(false)) {
            return invalid(BrokerError.INVALID_REQUEST, "InstanceId can't be empty.");
        }
        if (r.rackId().map(String::isEmpty).orElse(false)) {
            return invalid(BrokerError.INVALID_REQUEST, "RackId can't be empty.");
        }
        int epoch = r.memberEpoch();
        if (epoch < ConsumerHeartbeatRequest.STATIC_LEAVE_EPOCH) {
            return invalid(BrokerError.INVALID_REQUEST, "MemberEpoch " + epoch + " is invalid.");
        }
        if (epoch != ConsumerHeartbeatRequest.JOIN_EPOCH && r.memberId().isEmpty()) {
            return invalid(BrokerError.INVALID_REQUEST, "MemberId can't be empty.");
        }
        if (epoch == ConsumerHeartbeatRequest.JOIN_EPOCH) {
            if (r.rebalanceTimeoutMs() == -1) {
                return invalid(BrokerError.INVALID_REQUEST, "RebalanceTimeoutMs must be provided in first request.");
            }
            if (r.ownedPartitions().isEmpty() || !r.ownedPartitions().get().isEmpty()) {
                return invalid(BrokerError.INVALID_REQUEST, "TopicPartitions must be empty when (re-)joining.");
            }
            boolean names = r.subscribedTopicNames().isPresent();
            boolean regex = r.subscribedTopicRegex().filter(x -> !x.isEmpty()).isPresent();
            if (!names && !regex) {
                return invalid(BrokerError.INVALID_REQUEST,
                        "SubscribedTopicNames or SubscribedTopicRegex must be set in first request.");
            }
        }
        if (epoch == ConsumerHeartbeatRequest.STATIC_LEAVE_EPOCH && r.instanceId().isEmpty()) {
            return invalid(BrokerError.INVALID_REQUEST, "InstanceId can't be null.");
        }
        if (r.serverAssignor().isPresent() && !config.consumerAssignors().contains(r.serverAssignor().get())) {
            return invalid(BrokerError.UNSUPPORTED_ASSIGNOR, "ServerAssignor " + r.serverAssignor().get()
                    + " is not supported. Supported assignors: " + String.join(", ", config.consumerAssignors()) + ".");
        }
        Optional<String> regexProblem = r.subscribedTopicRegex().filter(x -> !x.isEmpty())
                .flatMap(HeartbeatValidation::regexProblem);
        if (regexProblem.isPresent()) {
            return invalid(BrokerError.INVALID_REGULAR_EXPRESSION, "SubscribedTopicRegex `"
                    + r.subscribedTopicRegex().get() + "` is not a valid regular expression: " + regexProblem.get() + ".");
        }
        return null;
    }

    /**
     * Why a regular expression does not compile, or empty if it does (Kafka's dialect is RE2/J;
     * Cairn uses java.util.regex, which accepts the same common syntax).
     */
    static Optional<String> regexProblem(String regex) {
        try {
            Pattern.compile(regex);
            return Optional.empty();
        } catch (PatternSyntaxException e) {
            return Optional.of(e.getDescription());
        }
    }

    private static BrokerException invalid(BrokerError error, String message) {
        return new BrokerException(error, message);
    }
}
