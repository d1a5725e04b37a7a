package io.cairn.rest.proxy.internal;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalInt;
import java.util.OptionalLong;
import java.util.TreeMap;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.cluster.ConfigEntry;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.PartitionState;
import io.cairn.broker.spi.cluster.TopicInfo;
import io.cairn.producer.Producer;
import io.cairn.producer.ProducerException;
import io.cairn.producer.ProducerRecord;
import io.cairn.producer.SendResult;
import io.cairn.rest.proxy.internal.Json.JsonException;

/**
 * The Confluent REST Proxy v2 resources Cairn offers, independent of the HTTP server:
 * {@code GET /topics}, {@code GET /topics/{topic}}, {@code GET /topics/{topic}/partitions},
 * {@code POST /topics/{topic}} and {@code POST /topics/{topic}/partitions/{partition}} with the
 * {@code json} and {@code binary} embedded formats; {@code /consumers/...} is {@link ConsumerApi}'s.
 *
 * <p>Errors use the proxy's body {@code {"error_code":N,"message":"..."}}: 40401 unknown topic,
 * 40402 unknown partition, 404 unknown resource, 405 wrong method, 415 unsupported content type,
 * 42201 a body that is not JSON or not a produce request, 50002 a broker error outside a record. A record the broker refuses does not fail
 * the request: its entry in {@code offsets} carries {@code error_code} 1 (not retriable) or 2
 * (retriable) and the message, as the proxy does.
 *
 * <p>Thread-safe: no state besides the services it calls.
 */
final class RestApi {

    static final String JSON_FORMAT = "application/vnd.kafka.json.v2+json";
    static final String BINARY_FORMAT = "application/vnd.kafka.binary.v2+json";
    static final String RESPONSE_TYPE = "application/vnd.kafka.v2+json";

    /**
     * A request as the HTTP layer hands it over.
     *
     * @param path the path without the query string, not yet decoded
     * @param query the decoded query parameters
     * @param host the {@code Host} header (or the listener's address), for URIs the answer names
     * @param remoteAddress the client's address, e.g. {@code /127.0.0.1}
     */
    record Request(String method, String path, Map<String, List<String>> query, String contentType, String accept,
            String host, String remoteAddress, byte[] body) {
    }

    /** A response: HTTP status, body (empty for 204) and its content type. */
    record Response(int status, String body, String contentType) {
        Response(int status, String body) {
            this(status, body, RESPONSE_TYPE);
        }

        static Response ok(Object json) {
            return new Response(200, Json.write(json));
        }

        static Response noContent() {
            return new Response(204, "");
        }

        static Response error(int status, int errorCode, String message) {
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("error_code", errorCode);
            body.put("message", message);
            return new Response(status, Json.write(body));
        }
    }

    private final LocalBroker broker;
    private final Producer producer;
    private final Json json;
    private final ConsumerApi consumers;

    RestApi(LocalBroker broker, Producer producer, Json json, ConsumerApi consumers) {
        this.broker = broker;
        this.producer = producer;
        this.json = json;
        this.consumers = consumers;
    }

    /** Handles one request. May block briefly (topic auto-creation); consumer calls never wait on the calling thread. */
    CompletionStage<Response> handle(Request request) {
        String method = request.method();
        String contentType = request.contentType();
        byte[] body = request.body();
        List<String> parts = new ArrayList<>();
        for (String p : request.path().split("/")) {
            if (!p.isEmpty()) {
                parts.add(java.net.URLDecoder.decode(p, StandardCharsets.UTF_8));
            }
        }
        if (!parts.isEmpty() && parts.get(0).equals("consumers") && parts.size() >= 2) {
            return consumers.handle(request, parts);
        }
        if (parts.isEmpty() || !parts.get(0).equals("topics") || parts.size() > 4
                || (parts.size() >= 3 && !parts.get(2).equals("partitions"))) {
            return done(Response.error(404, 404, "HTTP 404 Not Found"));
        }
        String topic = parts.size() > 1 ? parts.get(1) : null;
        boolean get = method.equals("GET");
        boolean post = method.equals("POST");
        switch (parts.size()) {
            case 1:
                return get ? done(listTopics()) : notAllowed();
            case 2:
                if (get) {
                    return done(describeTopic(topic));
                }
                return post ? produce(topic, OptionalInt.empty(), contentType, body) : notAllowed();
            case 3:
                return get ? done(listPartitions(topic)) : notAllowed();
            default:
                OptionalInt partition;
                try {
                    partition = OptionalInt.of(Integer.parseInt(parts.get(3)));
                } catch (NumberFormatException e) {
                    return done(Response.error(404, 40402, "Partition not found."));
                }
                if (get) {
                    return done(describePartition(topic, partition.getAsInt()));
                }
                return post ? produce(topic, partition, contentType, body) : notAllowed();
        }
    }

    private static CompletionStage<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }

    private static CompletionStage<Response> notAllowed() {
        return done(Response.error(405, 405, "HTTP 405 Method Not Allowed"));
    }

    private static Response topicNotFound() {
        return Response.error(404, 40401, "Topic not found.");
    }

    private Response listTopics() {
        List<Object> names = new ArrayList<>();
        broker.cluster().topics().stream().filter(t -> !t.internal()).map(TopicInfo::name).sorted().forEach(names::add);
        return Response.ok(names);
    }

    private Response describeTopic(String topic) {
        Optional<TopicInfo> info = broker.cluster().topic(topic);
        if (info.isEmpty()) {
            return topicNotFound();
        }
        Map<String, Object> configs = new TreeMap<>();
        for (ConfigEntry e : broker.describeTopicConfig(topic)) {
            configs.put(e.name(), e.value() == null ? Json.NULL : e.value());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("name", topic);
        out.put("configs", configs);
        out.put("partitions", partitions(info.get()));
        return Response.ok(out);
    }

    private Response listPartitions(String topic) {
        return broker.cluster().topic(topic).map(t -> Response.ok(partitions(t))).orElseGet(RestApi::topicNotFound);
    }

    private Response describePartition(String topic, int partition) {
        Optional<TopicInfo> info = broker.cluster().topic(topic);
        if (info.isEmpty()) {
            return topicNotFound();
        }
        return info.get().partitions().stream().filter(p -> p.partition() == partition).findFirst()
                .map(p -> Response.ok(partition(p))).orElseGet(() -> Response.error(404, 40402, "Partition not found."));
    }

    private static List<Object> partitions(TopicInfo info) {
        List<Object> out = new ArrayList<>();
        info.partitions().stream().sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .forEach(p -> out.add(partition(p)));
        return out;
    }

    private static Map<String, Object> partition(PartitionState p) {
        List<Object> replicas = new ArrayList<>();
        for (int r : p.replicas()) {
            Map<String, Object> replica = new LinkedHashMap<>();
            replica.put("broker", r);
            replica.put("leader", r == p.leader());
            replica.put("in_sync", p.isr().contains(r));
            replicas.add(replica);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("partition", p.partition());
        out.put("leader", p.leader());
        out.put("replicas", replicas);
        return out;
    }

    private CompletionStage<Response> produce(String topic, OptionalInt pathPartition, String contentType, byte[] body) {
        String type = contentType == null ? "" : contentType.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
        boolean binary = type.equals(BINARY_FORMAT);
        if (!binary && !type.equals(JSON_FORMAT)) {
            return done(Response.error(415, 415, "HTTP 415 Unsupported Media Type: use " + JSON_FORMAT + " or "
                    + BINARY_FORMAT + (type.isEmpty() ? "" : ", not " + type)));
        }
        List<ProducerRecord> records;
        try {
            records = records(topic, pathPartition, binary, json.parse(body));
        } catch (JsonException e) {
            return done(Response.error(422, 42201, e.getMessage()));
        }
        Optional<TopicInfo> info = broker.cluster().topic(topic);
        try {
            if (info.isEmpty() && broker.autoCreateTopic(topic)) {
                info = broker.cluster().topic(topic);
            }
        } catch (BrokerException e) {
            if (e.error() == BrokerError.INVALID_TOPIC_EXCEPTION || e.error() == BrokerError.UNKNOWN_TOPIC_OR_PARTITION) {
                return done(Response.error(404, 40401, "Topic not found: " + e.getMessage()));
            }
            return done(Response.error(500, 50002, "Kafka error: " + e.getMessage()));
        }
        if (info.isEmpty()) {
            return done(topicNotFound());
        }
        int count = info.get().partitions().size();
        for (ProducerRecord r : records) {
            if (r.partition().isPresent() && r.partition().getAsInt() >= count) {
                return done(Response.error(404, 40402, "Partition not found."));
            }
        }
        List<CompletionStage<SendResult>> sent = producer.sendAll(records);
        List<Map<String, Object>> offsets = new ArrayList<>(sent.size());
        CompletableFuture<?>[] all = new CompletableFuture<?>[sent.size()];
        for (int i = 0; i < sent.size(); i++) {
            Map<String, Object> entry = new LinkedHashMap<>();
            offsets.add(entry);
            all[i] = sent.get(i).handle((result, failure) -> {
                if (failure == null) {
                    entry.put("partition", result.partition());
                    entry.put("offset", result.offset());
                    entry.put("error_code", Json.NULL);
                    entry.put("error", Json.NULL);
                } else {
                    Throwable cause = failure.getCause() != null && !(failure instanceof ProducerException)
                            ? failure.getCause() : failure;
                    entry.put("partition", Json.NULL);
                    entry.put("offset", Json.NULL);
                    entry.put("error_code", retriable(cause) ? 2 : 1);
                    entry.put("error", String.valueOf(cause.getMessage()));
                }
                return null;
            }).toCompletableFuture();
        }
        return CompletableFuture.allOf(all).thenApply(ignored -> {
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("offsets", new ArrayList<Object>(offsets));
            out.put("key_schema_id", Json.NULL);
            out.put("value_schema_id", Json.NULL);
            return Response.ok(out);
        });
    }

    private static boolean retriable(Throwable t) {
        if (t instanceof ProducerException pe) {
            return pe.reason() == ProducerException.Reason.PARTITIONER_UNAVAILABLE
                    || pe.reason() == ProducerException.Reason.BROKER_ERROR;
        }
        return false;
    }

    /** The records of a produce body: {@code {"records":[{"key":..,"value":..,"partition":..}, ...]}}. */
    @SuppressWarnings("unchecked")
    private static List<ProducerRecord> records(String topic, OptionalInt pathPartition, boolean binary, Object body)
            throws JsonException {
        if (!(body instanceof Map<?, ?> request) || !(request.get("records") instanceof List<?> items)) {
            throw new JsonException("The request body must be an object with an array \"records\"");
        }
        if (items.isEmpty()) {
            throw new JsonException("\"records\" is empty");
        }
        List<ProducerRecord> out = new ArrayList<>(items.size());
        for (int i = 0; i < items.size(); i++) {
            if (!(items.get(i) instanceof Map<?, ?> item)) {
                throw new JsonException("records[" + i + "] is not an object");
            }
            Map<String, Object> record = (Map<String, Object>) item;
            byte[] key = bytes(record.get("key"), binary, "records[" + i + "].key");
            byte[] value = bytes(record.get("value"), binary, "records[" + i + "].value");
            OptionalInt partition = pathPartition;
            Object p = record.get("partition");
            if (p != null && p != Json.NULL) {
                if (pathPartition.isPresent()) {
                    throw new JsonException("records[" + i + "].partition: the partition is already in the path");
                }
                try {
                    int n = ((Json.Number) p).intValueExact();
                    if (n < 0) {
                        throw new NumberFormatException();
                    }
                    partition = OptionalInt.of(n);
                } catch (ClassCastException | NumberFormatException e) {
                    throw new JsonException("records[" + i + "].partition must be a non-negative integer");
                }
            }
            out.add(new ProducerRecord(topic, key, value, List.of(), partition, OptionalLong.empty()));
        }
        return out;
    }

    /** Binary format: base64 text; JSON format: the value's compact JSON text. Absent or null: no bytes. */
    private static byte[] bytes(Object v, boolean binary, String where) throws JsonException {
        if (v == null || v == Json.NULL) {
            return null;
        }
        if (!binary) {
            return Json.write(v).getBytes(StandardCharsets.UTF_8);
        }
        if (!(v instanceof String s)) {
            throw new JsonException(where + " must be a base64 string in the binary format");
        }
        try {
            return Base64.getDecoder().decode(s);
        } catch (IllegalArgumentException e) {
            throw new JsonException(where + " is not valid base64: " + e.getMessage());
        }
    }
}
