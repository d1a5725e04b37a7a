package io.cairn.producer;

import java.util.List;
import java.util.concurrent.CompletionStage;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes records to topics of this broker, placing each with the topic's partitioner unless it
 * names a partition. Registered while the local broker is up. Thread-safe.
 *
 * <p>Stages complete on a broker thread: do not block in their callbacks. They complete
 * exceptionally with a {@link ProducerException} (possibly wrapped in a
 * {@link java.util.concurrent.CompletionException}).
 */
@ProviderType
public interface Producer {

    /**
     * Sends one record. An unknown topic is created if {@code auto.create.topics.enable} allows.
     *
     * @param record the record
     * @return completes with where the record was written once the write is committed
     */
    CompletionStage<SendResult> send(ProducerRecord record);

    /**
     * Sends records together: those that land in the same partition are written in list order,
     * batched. Each record has its own stage, so that one refused record does not fail the others;
     * records written in the same batch succeed or fail together.
     *
     * @param records the records, of one or several topics
     * @return one stage per record, in the order of {@code records}
     */
    List<CompletionStage<SendResult>> sendAll(List<ProducerRecord> records);
}
