package io.cairn.partitioner.spi;

import org.osgi.annotation.versioning.ProviderType;

/** A partitioner cannot place a record; the message says why and is shown to the producer. */
@ProviderType
public class PartitionerException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PartitionerException(String message) {
        super(message);
    }
}
