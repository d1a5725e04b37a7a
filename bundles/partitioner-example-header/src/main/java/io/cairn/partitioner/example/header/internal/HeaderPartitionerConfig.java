package io.cairn.partitioner.example.header.internal;

import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Configuration of the example header partitioner (PID {@value #PID}), e.g. a file
 * {@code etc/io.cairn.partitioner.example.header.cfg} with {@code header.name=tenant}. Attribute
 * names map to keys by the DS rule: {@code header_name()} is {@code header.name}.
 */
@ObjectClassDefinition(id = HeaderPartitionerConfig.PID, name = "Cairn example partitioner: by header",
        description = "Places records by the hash of one header's value.")
public @interface HeaderPartitionerConfig {

    /** The configuration PID. */
    String PID = "io.cairn.partitioner.example.header";

    /** The header read when none is configured. */
    String DEFAULT_HEADER = "cairn-partition-key";

    @AttributeDefinition(name = "Header", description = "The header whose value places the record; its last"
            + " occurrence counts.")
    String header_name() default DEFAULT_HEADER;
}
