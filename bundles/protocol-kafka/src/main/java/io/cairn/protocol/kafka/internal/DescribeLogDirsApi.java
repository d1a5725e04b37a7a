package io.cairn.protocol.kafka.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import org.apache.kafka.common.message.DescribeLogDirsRequestData;
import org.apache.kafka.common.message.DescribeLogDirsRequestData.DescribableLogDirTopic;
import org.apache.kafka.common.message.DescribeLogDirsResponseData;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsPartition;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsResult;
import org.apache.kafka.common.message.DescribeLogDirsResponseData.DescribeLogDirsTopic;
import org.apache.kafka.common.protocol.Errors;

import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.LogDirInfo;

/**
 * DescribeLogDirs (v1–v5): every log directory with its replicas' sizes and lags, from
 * {@link LocalBroker#logDirs()}; all partitions when the request's topic list is null, else only
 * those named. Total and usable bytes from v4.
 *
 * <p>Thread-safety: stateless apart from the thread-safe {@link LocalBroker}.
 */
final class DescribeLogDirsApi implements ApiHandler {

    private final LocalBroker broker;

    DescribeLogDirsApi(LocalBroker broker) {
        this.broker = broker;
    }

    @Override
    public CompletionStage<DescribeLogDirsResponseData> handle(KafkaRequest request, ConnectionContext connection) {
        DescribeLogDirsRequestData body = (DescribeLogDirsRequestData) request.body();
        List<DescribeLogDirsResult> results = new ArrayList<>();
        for (LogDirInfo dir : broker.logDirs()) {
            Map<String, DescribeLogDirsTopic> topics = new LinkedHashMap<>();
            for (LogDirInfo.Replica replica : dir.replicas()) {
                if (!wanted(body, replica)) {
                    continue;
                }
                topics.computeIfAbsent(replica.topic(), name -> new DescribeLogDirsTopic().setName(name))
                        .partitions().add(new DescribeLogDirsPartition().setPartitionIndex(replica.partition())
                                .setPartitionSize(replica.sizeBytes()).setOffsetLag(replica.offsetLag())
                                .setIsFutureKey(false));
            }
            results.add(new DescribeLogDirsResult().setErrorCode(Errors.NONE.code()).setLogDir(dir.path())
                    .setTopics(new ArrayList<>(topics.values()))
                    .setTotalBytes(dir.totalBytes()).setUsableBytes(dir.usableBytes()));
        }
        return CompletableFuture.completedFuture(new DescribeLogDirsResponseData().setErrorCode(Errors.NONE.code())
                .setResults(results));
    }

    private static boolean wanted(DescribeLogDirsRequestData body, LogDirInfo.Replica replica) {
        if (body.topics() == null) {
            return true;
        }
        DescribableLogDirTopic topic = body.topics().find(replica.topic());
        return topic != null && Set.copyOf(topic.partitions()).contains(replica.partition());
    }
}
