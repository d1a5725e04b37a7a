/**
 * Ack strategies: when a produce request counts as done. {@code none} (acks=0, no response),
 * {@code leader} (acks=1), {@code isr} (acks=all: every in-sync replica, and at least
 * {@code min.insync.replicas} of them). Each is an OSGi service with the property {@code cairn.name}.
 *
 * <p>First cut, written by the foundation issue; the wire-protocol issue completes it.
 */
@Export
@Version("0.1.0")
package io.cairn.broker.spi.ack;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
