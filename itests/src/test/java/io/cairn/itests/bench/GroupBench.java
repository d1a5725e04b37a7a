package io.cairn.itests.bench;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * Consumer-group latencies as a Kafka user sees them, against two brokers interleaved:
 * join (one member subscribes → owns all 4 partitions), rebalance (a second member subscribes →
 * 2 + 2), leave (the second closes → the first owns 4 again), for the classic and the consumer
 * (KIP-848) protocol with the clients' default settings; and commitSync latency of 4 partitions.
 *
 * <p>A benchmark, not a test: it prints figures and asserts nothing (docs/performance.md has a run).
 * Usage: {@code java -cp <kafka-clients 4.x jars> GroupBench.java <bootstrapA> <labelA> <bootstrapB>
 * <labelB> <reps>}.
 */
public final class GroupBench {

    private GroupBench() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 5) {
            System.err.println("usage: GroupBench <bootstrapA> <labelA> <bootstrapB> <labelB> <repetitions>");
            System.exit(2);
        }
        String[] boot = {args[0], args[2]};
        String[] label = {args[1], args[3]};
        int reps = Integer.parseInt(args[4]);
        Map<String, List<Double>> results = new TreeMap<>();
        for (int side = 0; side < 2; side++) {
            try (Admin admin = Admin.create(Map.of("bootstrap.servers", boot[side]))) {
                admin.createTopics(List.of(new NewTopic("groupbench", 4, (short) 1))).all().get(30, TimeUnit.SECONDS);
            } catch (java.util.concurrent.ExecutionException e) {
                if (!(e.getCause() instanceof TopicExistsException)) {
                    throw e;
                }
            }
        }
        for (int r = 0; r < reps; r++) {
            for (int side = 0; side < 2; side++) {
                for (String protocol : List.of("classic", "consumer")) {
                    String group = "gb-" + protocol + "-" + r + "-" + System.nanoTime();
                    double[] t = membership(boot[side], group, protocol);
                    add(results, label[side] + " " + protocol + " join_ms", t[0]);
                    add(results, label[side] + " " + protocol + " rebalance_ms", t[1]);
                    add(results, label[side] + " " + protocol + " leave_ms", t[2]);
                }
                for (double c : commits(boot[side], "gb-commit-" + r + "-" + System.nanoTime(), 200)) {
                    add(results, label[side] + " commitSync_ms", c);
                }
            }
        }
        results.forEach((k, v) -> {
            Collections.sort(v);
            System.out.printf("%-40s n=%4d p50=%8.1f p90=%8.1f p99=%8.1f%n", k, v.size(), pct(v, 50), pct(v, 90), pct(v, 99));
        });
    }

    static void add(Map<String, List<Double>> m, String k, double v) {
        m.computeIfAbsent(k, x -> new ArrayList<>()).add(v);
    }

    static double pct(List<Double> sorted, int p) {
        int i = (int) Math.ceil(p / 100.0 * sorted.size()) - 1;
        return sorted.get(Math.max(0, Math.min(sorted.size() - 1, i)));
    }

    static KafkaConsumer<byte[], byte[]> consumer(String boot, String group, String protocol) {
        Properties p = new Properties();
        p.put("bootstrap.servers", boot);
        p.put("group.id", group);
        p.put("group.protocol", protocol);
        p.put("key.deserializer", ByteArrayDeserializer.class.getName());
        p.put("value.deserializer", ByteArrayDeserializer.class.getName());
        p.put("enable.auto.commit", "false");
        return new KafkaConsumer<>(p);
    }

    static double[] membership(String boot, String group, String protocol) {
        double[] t = new double[3];
        try (KafkaConsumer<byte[], byte[]> a = consumer(boot, group, protocol)) {
            long s = System.nanoTime();
            a.subscribe(List.of("groupbench"));
            while (a.assignment().size() != 4) {
                a.poll(Duration.ofMillis(10));
                check(s);
            }
            t[0] = (System.nanoTime() - s) / 1e6;
            KafkaConsumer<byte[], byte[]> b = consumer(boot, group, protocol);
            s = System.nanoTime();
            b.subscribe(List.of("groupbench"));
            while (a.assignment().size() != 2 || b.assignment().size() != 2) {
                a.poll(Duration.ofMillis(10));
                b.poll(Duration.ofMillis(10));
                check(s);
            }
            t[1] = (System.nanoTime() - s) / 1e6;
            s = System.nanoTime();
            b.close();
            while (a.assignment().size() != 4) {
                a.poll(Duration.ofMillis(10));
                check(s);
            }
            t[2] = (System.nanoTime() - s) / 1e6;
        }
        return t;
    }

    static void check(long start) {
        if (System.nanoTime() - start > TimeUnit.SECONDS.toNanos(120)) {
            throw new IllegalStateException("group did not settle in 120 s");
        }
    }

    static List<Double> commits(String boot, String group, int n) {
        List<Double> out = new ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> c = consumer(boot, group, "classic")) {
            List<TopicPartition> tps = new ArrayList<>();
            for (int p = 0; p < 4; p++) {
                tps.add(new TopicPartition("groupbench", p));
            }
            c.assign(tps);
            for (int i = 0; i < n + 20; i++) {
                Map<TopicPartition, OffsetAndMetadata> o = new HashMap<>();
                for (TopicPartition tp : tps) {
                    o.put(tp, new OffsetAndMetadata(i));
                }
                long s = System.nanoTime();
                c.commitSync(o);
                if (i >= 20) {
                    out.add((System.nanoTime() - s) / 1e6);
                }
            }
        }
        return out;
    }
}
