package io.cairn.offsets.topic.internal;

import java.nio.ByteBuffer;
import java.nio.channels.WritableByteChannel;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.cairn.broker.spi.cluster.AppendResult;
import io.cairn.broker.spi.cluster.BrokerConfig;
import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.BrokerInfo;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.ConfigEntry;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.LogDirInfo;
import io.cairn.broker.spi.cluster.NewTopic;
import io.cairn.broker.spi.cluster.PartitionReplica;
import io.cairn.broker.spi.cluster.PartitionState;
import io.cairn.broker.spi.cluster.ProducerIdentity;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.storage.spi.LogReadResult;
import io.cairn.storage.spi.TimestampOffset;

/**
 * One broker holding partitions in memory: appends assign offsets as the kernel does, reads return
 * whole batches. Enough of {@link LocalBroker} for the topic offset store.
 */
final class FakeBroker implements LocalBroker {

    final Map<String, TopicInfo> topics = new HashMap<>();
    final Map<String, NewTopic> created = new HashMap<>();
    final Map<String, List<FakePartition>> partitions = new HashMap<>();

    @Override
    public BrokerConfig config() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ClusterView cluster() {
        return new ClusterView() {
            @Override
            public String clusterId() {
                return "fake";
            }

            @Override
            public int controllerId() {
                return 1;
            }

            @Override
            public Collection<BrokerInfo> brokers() {
                return List.of(new BrokerInfo(1, List.of(), null));
            }

            @Override
            public Optional<BrokerInfo> broker(int id) {
                return brokers().stream().filter(b -> b.id() == id).findFirst();
            }

            @Override
            public Collection<TopicInfo> topics() {
                return topics.values();
            }

            @Override
            public Optional<TopicInfo> topic(String name) {
                return Optional.ofNullable(topics.get(name));
            }
        };
    }

    @Override
    public synchronized TopicInfo createTopic(NewTopic topic, boolean validateOnly) {
        if (topics.containsKey(topic.name())) {
            throw new BrokerException(BrokerError.TOPIC_ALREADY_EXISTS, topic.name());
        }
        List<PartitionState> states = new ArrayList<>();
        List<FakePartition> logs = new ArrayList<>();
        for (int p = 0; p < topic.partitions(); p++) {
            states.add(new PartitionState(p, 1, 0, List.of(1), List.of(1)));
            logs.add(new FakePartition(topic.name(), p));
        }
        TopicInfo info = new TopicInfo(topic.name(), UUID.randomUUID(), topic.name().startsWith("__"), states);
        topics.put(topic.name(), info);
        created.put(topic.name(), topic);
        partitions.put(topic.name(), logs);
        return info;
    }

    @Override
    public void deleteTopic(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void createPartitions(String topic, int totalCount, boolean validateOnly) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ConfigEntry> describeTopicConfig(String topic) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<ConfigEntry> describeBrokerConfig() {
        throw new UnsupportedOperationException();
    }

    @Override
    public void alterBrokerConfig(Map<String, Optional<String>> changes, boolean replace, boolean validateOnly) {
        throw new UnsupportedOperationException();
    }

    @Override
    public void alterTopicConfig(String topic, Map<String, Optional<String>> changes, boolean replace,
            boolean validateOnly) {
        throw new UnsupportedOperationException();
    }

    @Override
    public synchronized PartitionReplica partition(String topic, int partition) {
        List<FakePartition> logs = partitions.get(topic);
        if (logs == null || partition >= logs.size()) {
            throw new BrokerException(BrokerError.UNKNOWN_TOPIC_OR_PARTITION, topic + "-" + partition);
        }
        return logs.get(partition);
    }

    @Override
    public boolean autoCreateTopic(String name) {
        throw new UnsupportedOperationException();
    }

    @Override
    public List<LogDirInfo> logDirs() {
        throw new UnsupportedOperationException();
    }

    @Override
    public ProducerIdentity newProducerId() {
        throw new UnsupportedOperationException();
    }

    /** A partition's batches in memory, offsets assigned on append. */
    static final class FakePartition implements PartitionReplica {
        private final String topic;
        private final int partition;
        final List<ByteBuffer> batches = new ArrayList<>();
        private long end;
        volatile boolean failing;

        FakePartition(String topic, int partition) {
            this.topic = topic;
            this.partition = partition;
        }

        @Override
        public String topic() {
            return topic;
        }

        @Override
        public int partition() {
            return partition;
        }

        @Override
        public int leaderEpoch() {
            return 0;
        }

        @Override
        public long logStartOffset() {
            return 0;
        }

        @Override
        public synchronized long logEndOffset() {
            return end;
        }

        @Override
        public synchronized long highWatermark() {
            return end;
        }

        @Override
        public synchronized CompletionStage<AppendResult> append(ByteBuffer in, short acks, long timeoutMs) {
            if (failing) {
                return CompletableFuture.failedFuture(new BrokerException(BrokerError.NOT_ENOUGH_REPLICAS, "down"));
            }
            ByteBuffer b = ByteBuffer.allocate(in.remaining()).put(in.duplicate()).flip();
            int lastDelta = b.getInt(23);
            b.putLong(0, end).putInt(12, 0);
            batches.add(b);
            long base = end;
            end += lastDelta + 1;
            return CompletableFuture.completedFuture(new AppendResult(base, end - 1, -1, 0, false));
        }

        @Override
        public synchronized LogReadResult read(long offset, int maxBytes, long maxOffset) {
            List<ByteBuffer> picked = new ArrayList<>();
            int size = 0;
            long first = -1;
            long next = offset;
            for (ByteBuffer b : batches) {
                long base = b.getLong(0);
                long last = base + b.getInt(23);
                if (last < offset || base >= maxOffset) {
                    continue;
                }
                if (!picked.isEmpty() && size + b.remaining() > maxBytes) {
                    break;
                }
                if (first < 0) {
                    first = base;
                }
                picked.add(b.duplicate());
                size += b.remaining();
                next = last + 1;
            }
            ByteBuffer all = ByteBuffer.allocate(size);
            picked.forEach(all::put);
            all.flip();
            long firstOffset = first;
            long nextOffset = next;
            return new LogReadResult() {
                @Override
                public long sizeInBytes() {
                    return all.remaining();
                }

                @Override
                public long firstOffset() {
                    return firstOffset;
                }

                @Override
                public long nextOffset() {
                    return nextOffset;
                }

                @Override
                public long transferTo(WritableByteChannel target, long position, long count) throws java.io.IOException {
                    ByteBuffer part = all.duplicate().position((int) position).limit((int) (position + count));
                    return target.write(part);
                }

                @Override
                public void release() {
                }
            };
        }

        @Override
        public Optional<TimestampOffset> offsetForTimestamp(long timestamp) {
            return Optional.empty();
        }

        @Override
        public Optional<TimestampOffset> maxTimestamp() {
            return Optional.empty();
        }

        @Override
        public long deleteRecordsBefore(long offset) {
            throw new UnsupportedOperationException();
        }

        @Override
        public AutoCloseable onNewData(Runnable listener) {
            return () -> { };
        }

        @Override
        public Map<String, String> config() {
            return Map.of();
        }

        @Override
        public long sizeInBytes() {
            return batches.stream().mapToLong(ByteBuffer::remaining).sum();
        }
    }
}
