package io.cairn.offsets.zookeeper.internal;

import java.util.Map;
import java.util.Optional;

/**
 * The broker keys the ZooKeeper offset store reads (PID {@code io.cairn.broker}).
 *
 * @param hosts {@code zookeeper.connect} without its chroot: {@code host:port,host:port}
 * @param chroot the chroot of {@code zookeeper.connect} ({@code /cairn} in {@code host:2181/cairn}),
 *     {@code ""} if none; every node of the store lies below it
 * @param sessionTimeoutMs {@code zookeeper.session.timeout.ms} (Kafka's default 18000)
 * @param operationTimeoutMs {@code offsets.commit.timeout.ms} (5000): how long one store call may try
 *     while ZooKeeper is unreachable before it fails
 * @param maxTransactionBytes {@code cairn.offsets.zookeeper.max.transaction.bytes} (1000000): the
 *     largest commit transaction sent; keep it below the ensemble's {@code jute.maxbuffer}
 *     (1048575 by default)
 */
record ZooKeeperSettings(String hosts, String chroot, int sessionTimeoutMs, int operationTimeoutMs,
        int maxTransactionBytes) {

    /** The settings in a broker configuration; empty if {@code zookeeper.connect} is not set. */
    static Optional<ZooKeeperSettings> of(Map<String, ?> config) {
        Object connect = config.get("zookeeper.connect");
        if (connect == null || connect.toString().isBlank()) {
            return Optional.empty();
        }
        String value = connect.toString().trim();
        int slash = value.indexOf('/');
        String hosts = slash < 0 ? value : value.substring(0, slash);
        String chroot = slash < 0 ? "" : value.substring(slash);
        while (chroot.endsWith("/")) {
            chroot = chroot.substring(0, chroot.length() - 1);
        }
        if (hosts.isBlank()) {
            throw new IllegalArgumentException("zookeeper.connect has no host: '" + value + "'");
        }
        if (chroot.contains("//")) {
            throw new IllegalArgumentException("zookeeper.connect has an invalid chroot: '" + value + "'");
        }
        return Optional.of(new ZooKeeperSettings(hosts, chroot, positive(config, "zookeeper.session.timeout.ms", 18000),
                positive(config, "offsets.commit.timeout.ms", 5000),
                positive(config, "cairn.offsets.zookeeper.max.transaction.bytes", 1_000_000)));
    }

    /** {@code zookeeper.connect} as configured. */
    String connect() {
        return hosts + chroot;
    }

    private static int positive(Map<String, ?> config, String key, int fallback) {
        Object v = config.get(key);
        if (v == null || v.toString().isBlank()) {
            return fallback;
        }
        try {
            int n = Integer.parseInt(v.toString().trim());
            if (n <= 0) {
                throw new IllegalArgumentException(key + " must be positive, was " + n);
            }
            return n;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, was '" + v + "'");
        }
    }
}
