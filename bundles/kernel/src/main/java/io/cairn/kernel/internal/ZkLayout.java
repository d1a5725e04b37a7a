package io.cairn.kernel.internal;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.cairn.broker.spi.cluster.BrokerInfo;
import io.cairn.broker.spi.cluster.Endpoint;
import io.cairn.broker.spi.cluster.PartitionState;

/**
 * Kafka 2.x's ZooKeeper layout: the paths and JSON documents Cairn writes through its metadata
 * store, so that the tree looks the same to {@code zkCli} whichever backend holds it. Documents
 * follow Kafka's {@code ZkData}: broker registration version 4, topic assignment version 3
 * (with {@code topic_id}), partition state version 1. Stateless.
 */
final class ZkLayout {

    static final String CLUSTER_ID = "/cluster/id";
    static final String CONTROLLER = "/controller";
    static final String CONTROLLER_EPOCH = "/controller_epoch";
    static final String BROKER_IDS = "/brokers/ids";
    static final String TOPICS = "/brokers/topics";

    private ZkLayout() {
    }

    static String brokerPath(int id) {
        return BROKER_IDS + "/" + id;
    }

    static String topicPath(String topic) {
        return TOPICS + "/" + topic;
    }

    static String partitionStatePath(String topic, int partition) {
        return topicPath(topic) + "/partitions/" + partition + "/state";
    }

    static byte[] bytes(Object json) {
        return Json.write(json).getBytes(StandardCharsets.UTF_8);
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> object(byte[] data) {
        Object v = Json.parse(new String(data, StandardCharsets.UTF_8));
        if (!(v instanceof Map)) {
            throw new IllegalArgumentException("expected a JSON object");
        }
        return (Map<String, Object>) v;
    }

    /** {@code /cluster/id}: {"version":"1","id":"<Kafka uuid>"}. */
    static byte[] clusterId(String id) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", "1");
        m.put("id", id);
        return bytes(m);
    }

    /** A new cluster id in Kafka's form: 16 random bytes, URL-safe base64 without padding. */
    static String newClusterId() {
        return kafkaUuid(UUID.randomUUID());
    }

    static String kafkaUuid(UUID uuid) {
        ByteBuffer b = ByteBuffer.allocate(16).putLong(uuid.getMostSignificantBits()).putLong(uuid.getLeastSignificantBits());
        return Base64.getUrlEncoder().withoutPadding().encodeToString(b.array());
    }

    static UUID parseKafkaUuid(String text) {
        ByteBuffer b = ByteBuffer.wrap(Base64.getUrlDecoder().decode(text));
        return new UUID(b.getLong(), b.getLong());
    }

    /** {@code /controller}: {"version":1,"brokerid":N,"timestamp":"ms"}. */
    static byte[] controller(int brokerId, long now) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 1);
        m.put("brokerid", brokerId);
        m.put("timestamp", Long.toString(now));
        return bytes(m);
    }

    /** {@code /brokers/ids/<id>}, version 4 of Kafka's broker registration. */
    static byte[] brokerRegistration(List<Endpoint> advertised, String rack, long now) {
        Map<String, Object> protocols = new LinkedHashMap<>();
        List<String> endpoints = new ArrayList<>();
        for (Endpoint e : advertised) {
            protocols.put(e.listenerName(), e.securityProtocol());
            endpoints.add(e.listenerName() + "://" + (e.host().contains(":") ? "[" + e.host() + "]" : e.host())
                    + ":" + e.port());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("listener_security_protocol_map", protocols);
        m.put("endpoints", endpoints);
        m.put("rack", rack);
        m.put("jmx_port", -1);
        Endpoint plain = advertised.stream().filter(e -> e.securityProtocol().equals("PLAINTEXT")).findFirst().orElse(null);
        m.put("host", plain == null ? null : plain.host());
        m.put("port", plain == null ? -1 : plain.port());
        m.put("timestamp", Long.toString(now));
        m.put("version", 4);
        return bytes(m);
    }

    @SuppressWarnings("unchecked")
    static BrokerInfo parseBroker(int id, byte[] data) {
        Map<String, Object> m = object(data);
        Map<String, Object> protocols = (Map<String, Object>) m.getOrDefault("listener_security_protocol_map", Map.of());
        List<Endpoint> endpoints = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("endpoints", List.of())) {
            String s = o.toString();
            int sep = s.indexOf("://");
            int colon = s.lastIndexOf(':');
            String name = s.substring(0, sep);
            String host = s.substring(sep + 3, colon);
            if (host.startsWith("[")) {
                host = host.substring(1, host.length() - 1);
            }
            endpoints.add(new Endpoint(name, String.valueOf(protocols.getOrDefault(name, name)), host,
                    Integer.parseInt(s.substring(colon + 1))));
        }
        Object rack = m.get("rack");
        return new BrokerInfo(id, endpoints, rack == null ? null : rack.toString());
    }

    /** {@code /brokers/topics/<t>}: {"version":3,"topic_id":…,"partitions":{"0":[1,2]},…}. */
    static byte[] topicAssignment(UUID topicId, Map<Integer, List<Integer>> replicas) {
        Map<String, Object> parts = new LinkedHashMap<>();
        replicas.forEach((p, r) -> parts.put(Integer.toString(p), r));
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("version", 3);
        m.put("topic_id", kafkaUuid(topicId));
        m.put("partitions", parts);
        m.put("adding_replicas", Map.of());
        m.put("removing_replicas", Map.of());
        return bytes(m);
    }

    /** {@code .../partitions/<p>/state}: {"controller_epoch":E,"leader":L,"version":1,"leader_epoch":LE,"isr":[…]}. */
    static byte[] partitionState(int controllerEpoch, int leader, int leaderEpoch, List<Integer> isr) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("controller_epoch", controllerEpoch);
        m.put("leader", leader);
        m.put("version", 1);
        m.put("leader_epoch", leaderEpoch);
        m.put("isr", isr);
        return bytes(m);
    }

    @SuppressWarnings("unchecked")
    static PartitionState parsePartitionState(int partition, List<Integer> replicas, byte[] data) {
        Map<String, Object> m = object(data);
        List<Integer> isr = new ArrayList<>();
        for (Object o : (List<Object>) m.getOrDefault("isr", List.of())) {
            isr.add(((Number) o).intValue());
        }
        return new PartitionState(partition, ((Number) m.getOrDefault("leader", -1L)).intValue(),
                ((Number) m.getOrDefault("leader_epoch", 0L)).intValue(), replicas, isr);
    }

    static List<Integer> intList(Object json) {
        List<Integer> out = new ArrayList<>();
        if (json instanceof List<?> l) {
            for (Object o : l) {
                out.add(((Number) o).intValue());
            }
        }
        return out;
    }
}
