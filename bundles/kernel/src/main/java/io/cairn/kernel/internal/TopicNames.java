package io.cairn.kernel.internal;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;

/** Kafka's rules for topic names ({@code org.apache.kafka.common.internals.Topic}). Stateless. */
final class TopicNames {

    /** Kafka's limit: the partition directory name {@code <topic>-<partition>} must fit in 255 bytes. */
    static final int MAX_LENGTH = 249;

    private TopicNames() {
    }

    static void validate(String name) {
        if (name == null || name.isEmpty()) {
            throw invalid("Topic name is illegal, it can't be empty");
        }
        if (name.equals(".") || name.equals("..")) {
            throw invalid("Topic name cannot be \".\" or \"..\"");
        }
        if (name.length() > MAX_LENGTH) {
            throw invalid("Topic name is illegal, it can't be longer than " + MAX_LENGTH + " characters, topic name: "
                    + name);
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            boolean ok = (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '.'
                    || c == '_' || c == '-';
            if (!ok) {
                throw invalid("Topic name \"" + name + "\" is illegal, it contains a character other than "
                        + "ASCII alphanumerics, '.', '_' and '-'");
            }
        }
    }

    private static BrokerException invalid(String message) {
        return new BrokerException(BrokerError.INVALID_TOPIC_EXCEPTION, message);
    }
}
