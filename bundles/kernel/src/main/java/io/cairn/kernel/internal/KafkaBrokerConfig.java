package io.cairn.kernel.internal;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

import io.cairn.broker.spi.cluster.BrokerConfig;
import io.cairn.broker.spi.cluster.Endpoint;

/**
 * The broker configuration: Kafka's defaults overlaid with the configured keys. Validates what the
 * kernel relies on when it is built, so that a bad {@code server.properties} fails the start with a
 * message naming the key rather than a later surprise. Immutable and thread-safe.
 */
final class KafkaBrokerConfig implements BrokerConfig {

    /** Framework/config property holding the distribution home, set by the launcher. */
    static final String HOME = "cairn.home";
    /** Framework/config property holding the launcher's working directory. */
    static final String WORKING_DIR = "cairn.working.dir";

    private final Map<String, String> values;
    private final int brokerId;
    private final List<Endpoint> listeners;
    private final List<Endpoint> advertised;
    private final List<Path> logDirs;

    private KafkaBrokerConfig(Map<String, String> values) {
        this.values = Collections.unmodifiableMap(values);
        this.brokerId = intValue("broker.id");
        if (brokerId < 0) {
            throw new IllegalArgumentException("broker.id must be 0 or more, was " + brokerId);
        }
        Map<String, String> protocols = protocolMap(values.get("listener.security.protocol.map"));
        this.listeners = Endpoints.parse("listeners", values.get("listeners"), protocols);
        String adv = values.get("advertised.listeners");
        this.advertised = adv == null || adv.isBlank() ? listeners : Endpoints.parse("advertised.listeners", adv, protocols);
        this.logDirs = resolveLogDirs(values);
        for (String key : List.of("num.partitions", "message.max.bytes", "socket.request.max.bytes",
                "min.insync.replicas", "default.replication.factor")) {
            if (intValue(key) < 1) {
                throw new IllegalArgumentException(key + " must be at least 1, was " + values.get(key));
            }
        }
    }

    /**
     * Builds the configuration from configured properties (ConfigAdmin dictionary entries or
     * {@code server.properties} lines); non-string values are turned into strings.
     */
    static KafkaBrokerConfig of(Map<String, ?> configured) {
        Map<String, String> merged = new TreeMap<>(KafkaDefaults.VALUES);
        configured.forEach((k, v) -> {
            if (v != null && !k.startsWith("component.") && !k.startsWith("service.") && !k.startsWith("felix.")) {
                merged.put(k, String.valueOf(v).trim());
            }
        });
        return new KafkaBrokerConfig(merged);
    }

    private static List<Path> resolveLogDirs(Map<String, String> values) {
        String dirs = values.get("log.dirs");
        if (dirs == null || dirs.isBlank()) {
            dirs = values.get("log.dir");
        }
        Path base = Path.of(values.getOrDefault(WORKING_DIR, System.getProperty("user.dir")));
        if (dirs == null || dirs.isBlank()) {
            String home = values.get(HOME);
            Path root = home == null ? base : Path.of(home);
            return List.of(root.resolve("data").toAbsolutePath().normalize());
        }
        List<Path> result = new ArrayList<>();
        for (String d : dirs.split(",")) {
            if (!d.isBlank()) {
                result.add(base.resolve(d.trim()).toAbsolutePath().normalize());
            }
        }
        return List.copyOf(result);
    }

    private static Map<String, String> protocolMap(String text) {
        Map<String, String> map = new LinkedHashMap<>();
        for (String pair : text.split(",")) {
            String[] kv = pair.trim().split(":");
            if (kv.length == 2) {
                map.put(kv[0].trim().toUpperCase(), kv[1].trim().toUpperCase());
            } else if (!pair.isBlank()) {
                throw new IllegalArgumentException("listener.security.protocol.map: bad entry '" + pair + "'");
            }
        }
        return map;
    }

    private int intValue(String key) {
        String v = values.get(key);
        try {
            return Integer.parseInt(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(key + " must be an integer, was '" + v + "'");
        }
    }

    @Override
    public int brokerId() {
        return brokerId;
    }

    @Override
    public List<Endpoint> listeners() {
        return listeners;
    }

    @Override
    public List<Endpoint> advertisedListeners() {
        return advertised;
    }

    @Override
    public List<Path> logDirs() {
        return logDirs;
    }

    @Override
    public int numPartitions() {
        return intValue("num.partitions");
    }

    @Override
    public short defaultReplicationFactor() {
        return (short) intValue("default.replication.factor");
    }

    @Override
    public boolean autoCreateTopicsEnable() {
        return Boolean.parseBoolean(values.get("auto.create.topics.enable"));
    }

    @Override
    public int messageMaxBytes() {
        return intValue("message.max.bytes");
    }

    @Override
    public int socketRequestMaxBytes() {
        return intValue("socket.request.max.bytes");
    }

    @Override
    public int minInsyncReplicas() {
        return intValue("min.insync.replicas");
    }

    @Override
    public Optional<String> zookeeperConnect() {
        String zk = values.get("zookeeper.connect");
        return zk == null || zk.isBlank() ? Optional.empty() : Optional.of(zk);
    }

    @Override
    public Optional<String> get(String key) {
        return Optional.ofNullable(values.get(key));
    }

    @Override
    public Map<String, String> asMap() {
        return values;
    }

    /**
     * Key prefixes that belong to components other than the kernel, which follow the broker
     * configuration themselves ({@code @Modified}): the group coordinator and offset stores
     * ({@code group.}, {@code offsets.}, {@code cairn.offsets.}), front ends with their own
     * listeners ({@code cairn.rest.}, {@code cairn.http.}). A change confined to these keys leaves
     * the broker's session alone.
     */
    static final List<String> NOT_KERNEL_PREFIXES = List.of("group.", "offsets.", "cairn.offsets.", "cairn.rest.",
            "cairn.http.");

    /** Whether {@code other} differs from this configuration only in keys the kernel does not use. */
    boolean sameForKernel(KafkaBrokerConfig other) {
        return kernelKeys(values).equals(kernelKeys(other.values));
    }

    private static Map<String, String> kernelKeys(Map<String, String> values) {
        Map<String, String> out = new TreeMap<>();
        values.forEach((k, v) -> {
            if (NOT_KERNEL_PREFIXES.stream().noneMatch(k::startsWith)) {
                out.put(k, v);
            }
        });
        return out;
    }

    /** The metadata store this configuration selects: explicit, else by {@code zookeeper.connect}. */
    String metadataStoreName() {
        String name = values.get("cairn.metadata.store");
        if (name != null && !name.isBlank()) {
            return name;
        }
        return zookeeperConnect().isPresent() ? "zookeeper" : "standalone";
    }

    /** How long an operation waits for a selected plugin that is missing, in ms. */
    long pluginWaitMs() {
        return Long.parseLong(values.get("cairn.plugin.wait.ms"));
    }
}
