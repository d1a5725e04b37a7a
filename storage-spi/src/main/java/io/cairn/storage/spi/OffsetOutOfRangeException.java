package io.cairn.storage.spi;

import org.osgi.annotation.versioning.ProviderType;

/** A read asked for an offset the log does not hold; Kafka's OFFSET_OUT_OF_RANGE. */
@ProviderType
public class OffsetOutOfRangeException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public OffsetOutOfRangeException(String message) {
        super(message);
    }
}
