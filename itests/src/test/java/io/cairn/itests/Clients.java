package io.cairn.itests;

import static org.junit.Assert.assertEquals;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The kafka-clients 4.4 clients the system tests point at a broker process, built the one way the
 * tests share: string keys and values, and consumers that start from the earliest offset and commit
 * only when a test says so. A test passes what is particular to it as overrides.
 */
final class Clients {

    private Clients() {
    }

    /** An Admin whose calls give up after 30 s ({@code default.api.timeout.ms}) rather than a minute. */
    static Admin admin(String bootstrap) {
        return Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap,
                AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 30_000));
    }

    /** A producer of string keys and values with the client's defaults. */
    static KafkaProducer<String, String> producer(String bootstrap) {
        return producer(bootstrap, Map.of());
    }

    /** A producer of string keys and values; {@code overrides} replace the client's defaults. */
    static KafkaProducer<String, String> producer(String bootstrap, Map<String, ?> overrides) {
        Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, StringSerializer.class.getName());
        props.putAll(overrides);
        return new KafkaProducer<>(props);
    }

    /**
     * A member of {@code group} (none if it is null) reading string keys and values from the
     * earliest offset, with auto-commit off; {@code overrides} win over all of that.
     */
    static Properties consumerProperties(String bootstrap, String group, Map<String, ?> overrides) {
        Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        if (group != null) {
            props.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        props.put(ConsumerConfig.KEY_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.VALUE_DESERIALIZER_CLASS_CONFIG, StringDeserializer.class.getName());
        props.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.putAll(overrides);
        return props;
    }

    /**
     * Every record of partition 0 of {@code topic}, read without a group from the log start to the
     * end offset it had when this began.
     *
     * @throws AssertionError if that end was not reached within 60 s
     */
    static List<ConsumerRecord<String, String>> readFromStart(String bootstrap, String topic) {
        List<ConsumerRecord<String, String>> out = new ArrayList<>();
        try (KafkaConsumer<String, String> c = new KafkaConsumer<>(consumerProperties(bootstrap, null, Map.of()))) {
            TopicPartition tp = new TopicPartition(topic, 0);
            c.assign(List.of(tp));
            c.seekToBeginning(List.of(tp));
            long end = c.endOffsets(List.of(tp)).get(tp);
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (c.position(tp) < end && System.nanoTime() < deadline) {
                c.poll(Duration.ofMillis(200)).forEach(out::add);
            }
            assertEquals("read to the end", end, c.position(tp));
        }
        return out;
    }

    /** A consumer with {@link #consumerProperties}. */
    static KafkaConsumer<String, String> consumer(String bootstrap, String group, Map<String, ?> overrides) {
        return new KafkaConsumer<>(consumerProperties(bootstrap, group, overrides));
    }
}
