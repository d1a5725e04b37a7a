package io.cairn.broker.spi.ack;

import org.osgi.annotation.versioning.ProviderType;

/**
 * How far one partition's part of a produce request has got: what an ack strategy decides on. A
 * snapshot; the broker asks the strategy again with a new one whenever replicas make progress.
 */
@ProviderType
public interface ProduceProgress {

    /** The producer's {@code acks}: 0, 1 or -1 (all). */
    short acks();

    /** Whether the records are appended to the leader's log yet. */
    boolean appended();

    /** The offset just past the request's last record; replicas must reach it. */
    long requiredOffset();

    /** Number of replicas in the in-sync set, the leader included. */
    int inSyncReplicas();

    /** Number of in-sync replicas, the leader included, whose log end has reached {@link #requiredOffset()}. */
    int replicasCaughtUp();

    /** The topic's {@code min.insync.replicas}. */
    int minInsyncReplicas();

    /** Whether the records are flushed to stable storage on the leader. */
    boolean flushed();
}
