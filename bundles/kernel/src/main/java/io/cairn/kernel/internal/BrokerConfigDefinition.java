package io.cairn.kernel.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The broker configuration (PID {@value #PID}) as metatype: the {@code server.properties} keys the
 * kernel itself reads, with Kafka's defaults. Attribute names map to keys by the DS rule: a single
 * {@code _} is a {@code .} ({@code log_dirs()} is {@code log.dirs}). Keys not listed here are still
 * passed through to plugins and topic defaults.
 */
@ObjectClassDefinition(id = BrokerConfigDefinition.PID, name = "Cairn broker",
        description = "Kafka server.properties keys; Cairn-only keys start with cairn.")
public @interface BrokerConfigDefinition {

    /** The configuration PID every broker component reads. */
    String PID = "io.cairn.broker";

    @AttributeDefinition(description = "This broker's id, unique in the cluster.")
    int broker_id() default 0;

    @AttributeDefinition(description = "Comma-separated NAME://host:port listeners; empty host = all interfaces.")
    String listeners() default "PLAINTEXT://:9092";

    @AttributeDefinition(description = "Comma-separated directories holding the partition logs.")
    String log_dirs() default "";

    @AttributeDefinition(description = "Partitions of an automatically created topic.")
    int num_partitions() default 1;

    @AttributeDefinition(description = "Replicas of an automatically created topic.")
    short default_replication_factor() default 1;

    @AttributeDefinition(description = "Create a topic when a client asks for one that does not exist.")
    boolean auto_create_topics_enable() default true;

    @AttributeDefinition(description = "Hours to keep a log segment.")
    int log_retention_hours() default 168;

    @AttributeDefinition(description = "Bytes in a log segment before a new one starts (1 GiB).")
    int log_segment_bytes() default 1_073_741_824;

    @AttributeDefinition(description = "Largest record batch accepted, in bytes.")
    int message_max_bytes() default 1_048_588;

    @AttributeDefinition(description = "Minimum in-sync replicas for acks=all.")
    int min_insync_replicas() default 1;

    @AttributeDefinition(description = "ZooKeeper connection string; empty = standalone metadata.")
    String zookeeper_connect() default "";
}
