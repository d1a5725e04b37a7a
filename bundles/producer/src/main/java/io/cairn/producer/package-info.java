/**
 * Cairn's in-process producer: how a bundle inside the broker writes records to a topic.
 *
 * <p>Get the {@link io.cairn.producer.Producer} service and call
 * {@link io.cairn.producer.Producer#send(ProducerRecord) send}. A record that names a partition is
 * written there; any other record is placed by the topic's partitioner, the
 * {@code io.cairn.partitioner.spi.Partitioner} service whose {@code cairn.name} the topic
 * configuration {@code cairn.partitioner} names (broker default {@code cairn.partitioner},
 * {@code keyhash} if unset). A missing partitioner is waited for up to {@code cairn.plugin.wait.ms}
 * and then the send fails with {@link io.cairn.producer.ProducerException.Reason#PARTITIONER_UNAVAILABLE};
 * another partitioner is never used instead, since that would put a key's records in different
 * partitions.
 *
 * <p>Records are appended with {@code acks=all}: a send completes once the topic's ack strategy
 * counts the write as committed. Records of one {@link io.cairn.producer.Producer#sendAll sendAll}
 * call that land in the same partition are written in list order, in as few batches as the topic's
 * {@code max.message.bytes} allows.
 *
 * <p>The package uses only the JDK and its own types, so that a caller depends on nothing of
 * Kafka's or the broker's internals.
 */
@Export
@Version("0.1.0")
package io.cairn.producer;

import org.osgi.annotation.bundle.Export;
import org.osgi.annotation.versioning.Version;
