package io.cairn.broker.spi.metadata;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * Told when a watched node or its set of children changes. Called on a store thread, one event at a
 * time per registration, in the order the changes happened; must return quickly and not block on
 * the store. Watches are persistent: they fire on every change until closed.
 */
@ConsumerType
@FunctionalInterface
public interface MetadataWatcher {

    /** What happened to the watched path. */
    enum Event {
        CREATED, DELETED, DATA_CHANGED, CHILDREN_CHANGED
    }

    /** Called after {@code event} happened at {@code path}. */
    void changed(String path, Event event);
}
