package io.cairn.broker.spi.groups.assignor;

/** Thrown by an assignor that cannot compute an assignment; the coordinator keeps the previous one. */
public class PartitionAssignorException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public PartitionAssignorException(String message) {
        super(message);
    }
}
