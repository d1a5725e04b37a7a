/**
 * Replication: followers fetching from leaders, and leaders tracking their followers, as
 * {@link io.cairn.broker.spi.replication.ReplicationService} services named by {@code cairn.name}.
 *
 * <p>First cut, written by the foundation issue; the replication issue completes it.
 */
@Export
@Version("0.1.0")
package io.cairn.broker.spi.replication;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
