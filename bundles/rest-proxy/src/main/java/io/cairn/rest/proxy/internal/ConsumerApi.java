package io.cairn.rest.proxy.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

import io.cairn.broker.spi.cluster.BrokerException;
import io.cairn.broker.spi.groups.FetchedOffset;
import io.cairn.broker.spi.groups.OffsetCommit;
import io.cairn.broker.spi.offsets.PartitionKey;
import io.cairn.rest.proxy.internal.ConsumerInstance.Format;
import io.cairn.rest.proxy.internal.ConsumerInstance.Reset;
import io.cairn.rest.proxy.internal.Json.JsonException;
import io.cairn.rest.proxy.internal.RestApi.Request;
import io.cairn.rest.proxy.internal.RestApi.Response;

/**
 * The Confluent REST Proxy v2 consumer resources under {@code /consumers}, the same API Redpanda's
 * HTTP proxy offers:
 * <pre>
 * POST   /consumers/{group}                                     create an instance
 * DELETE /consumers/{group}/instances/{name}                    delete it (auto-commit, leave the group)
 * POST   .../subscription  {"topics":[..]} | {"topic_pattern":".."}   GET, DELETE .../subscription
 * POST   .../assignments   {"partitions":[{"topic","partition"}]}     GET .../assignments
 * POST   .../positions     {"offsets":[{"topic","partition","offset"}]}
 * POST   .../positions/beginning, .../positions/end  {"partitions":[..]}
 * GET    .../records?timeout=ms&amp;max_bytes=n                      Accept: the instance's format
 * POST   .../offsets       {"offsets":[..]} or no body (everything consumed)
 * GET    .../offsets       {"partitions":[..]}
 * </pre>
 * Control requests answer 204 without a body, as the proxy does; the rest answer JSON.
 *
 * <p>Thread-safe: the state is in {@link ConsumerInstances}.
 */
final class ConsumerApi {

    static final int DEFAULT_REQUEST_TIMEOUT_MS = 1_000;
    /** {@code max_bytes} when the request has none: enough for a large page, far below the heap. */
    static final long DEFAULT_MAX_BYTES = 16L * 1024 * 1024;
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9._-]{1,249}");

    private final ConsumerInstances instances;
    private final Json json;
    private final int sessionTimeoutMs;

    ConsumerApi(ConsumerInstances instances, Json json, int sessionTimeoutMs) {
        this.instances = instances;
        this.json = json;
        this.sessionTimeoutMs = sessionTimeoutMs;
    }

    /** Handles a request whose path starts with {@code consumers}; {@code parts} are the decoded path segments. */
    CompletionStage<Response> handle(Request request, List<String> parts) {
        try {
            return route(request, parts).exceptionally(ConsumerApi::errorResponse);
        } catch (RuntimeException e) {
            return CompletableFuture.completedFuture(errorResponse(e));
        }
    }

    private CompletableFuture<Response> route(Request request, List<String> parts) {
        String method = request.method();
        if (parts.size() == 2) {
            return method.equals("POST") ? done(create(parts.get(1), request)) : notAllowed();
        }
        if (parts.size() < 4 || !parts.get(2).equals("instances") || parts.size() > 6) {
            return done(Response.error(404, 404, "HTTP 404 Not Found"));
        }
        String group = parts.get(1);
        String name = parts.get(3);
        if (parts.size() == 4) {
            return method.equals("DELETE") ? instances.delete(group, name).thenApply(x -> Response.noContent()) : notAllowed();
        }
        String resource = parts.get(4);
        if (parts.size() == 6) {
            if (!resource.equals("positions") || !method.equals("POST")) {
                return parts.get(5).equals("beginning") || parts.get(5).equals("end") ? notAllowed()
                        : done(Response.error(404, 404, "HTTP 404 Not Found"));
            }
            PartitionPositions.Seek where = switch (parts.get(5)) {
                case "beginning" -> PartitionPositions.Seek.BEGINNING;
                case "end" -> PartitionPositions.Seek.END;
                default -> null;
            };
            if (where == null) {
                return done(Response.error(404, 404, "HTTP 404 Not Found"));
            }
            ConsumerInstance instance = instances.get(group, name);
            instance.seek(partitions(body(request), "partitions"), where);
            return done(Response.noContent());
        }
        switch (resource + " " + method) {
            case "subscription POST" -> {
                ConsumerInstance instance = instances.get(group, name);
                subscribe(instance, body(request));
                return done(Response.noContent());
            }
            case "subscription GET" -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("topics", new ArrayList<Object>(instances.get(group, name).subscription()));
                return done(Response.ok(out));
            }
            case "subscription DELETE" -> {
                return instances.get(group, name).unsubscribe().toCompletableFuture().thenApply(x -> Response.noContent());
            }
            case "assignments POST" -> {
                ConsumerInstance instance = instances.get(group, name);
                instance.assign(partitions(body(request), "partitions"));
                return done(Response.noContent());
            }
            case "assignments GET" -> {
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("partitions", partitionList(instances.get(group, name).assignment()));
                return done(Response.ok(out));
            }
            case "positions POST" -> {
                ConsumerInstance instance = instances.get(group, name);
                instance.seek(offsets(body(request)));
                return done(Response.noContent());
            }
            case "records GET" -> {
                return records(instances.get(group, name), request);
            }
            case "offsets POST" -> {
                ConsumerInstance instance = instances.get(group, name);
                Object body = body(request);
                Optional<List<OffsetCommit>> explicit = body instanceof Map<?, ?> m && m.containsKey("offsets")
                        ? Optional.of(commits(body)) : Optional.empty();
                return instance.commit(explicit).toCompletableFuture().thenApply(x -> Response.noContent());
            }
            case "offsets GET" -> {
                ConsumerInstance instance = instances.get(group, name);
                return instance.committed(partitions(body(request), "partitions")).toCompletableFuture()
                        .thenApply(ConsumerApi::committedResponse);
            }
            default -> {
                return switch (resource) {
                    case "subscription", "assignments", "positions", "records", "offsets" -> notAllowed();
                    default -> done(Response.error(404, 404, "HTTP 404 Not Found"));
                };
            }
        }
    }

    // ---------------------------------------------------------------- create

    private Response create(String group, Request request) {
        Object body = body(request);
        if (!(body instanceof Map<?, ?> config)) {
            throw RestError.badBody("The request body must be a JSON object");
        }
        String name = setting(config, "name").or(() -> setting(config, "id")).orElse("rest-consumer-" + UUID.randomUUID());
        if (!NAME.matcher(name).matches()) {
            throw invalidConfig("name '" + name + "' must be 1 to 249 of [A-Za-z0-9._-]");
        }
        Format format = switch (setting(config, "format").orElse("binary").toLowerCase(Locale.ROOT)) {
            case "binary" -> Format.BINARY;
            case "json" -> Format.JSON;
            default -> throw invalidConfig("format '" + setting(config, "format").get()
                    + "' is not supported: use binary or json (Avro, JSON Schema and Protobuf need a schema registry)");
        };
        Reset reset = switch (setting(config, "auto.offset.reset").orElse("latest").toLowerCase(Locale.ROOT)) {
            case "earliest", "smallest" -> Reset.EARLIEST;
            case "latest", "largest" -> Reset.LATEST;
            case "none" -> Reset.NONE;
            default -> throw invalidConfig("auto.offset.reset must be earliest, latest or none");
        };
        boolean autoCommit = switch (setting(config, "auto.commit.enable").orElse("true").toLowerCase(Locale.ROOT)) {
            case "true" -> true;
            case "false" -> false;
            default -> throw invalidConfig("auto.commit.enable must be true or false");
        };
        int fetchMinBytes = intSetting(config, "fetch.min.bytes", -1, -1);
        int requestTimeout = intSetting(config, "consumer.request.timeout.ms", DEFAULT_REQUEST_TIMEOUT_MS, 0);
        if (group.isEmpty()) {
            throw invalidConfig("the group name is empty");
        }
        ConsumerInstance.Config c = new ConsumerInstance.Config(group, name, format, reset, autoCommit, fetchMinBytes,
                requestTimeout, request.remoteAddress(), sessionTimeoutMs);
        instances.create(c);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("instance_id", name);
        out.put("base_uri", "http://" + request.host() + "/consumers/" + group + "/instances/" + name);
        return Response.ok(out);
    }

    private static RestError invalidConfig(String what) {
        return new RestError(422, RestError.INVALID_CONSUMER_CONFIG, "Invalid consumer configuration: " + what);
    }

    /** A setting as text: the proxy's clients send strings, some send numbers or booleans. */
    private static Optional<String> setting(Map<?, ?> config, String key) {
        Object v = config.get(key);
        if (v == null || v == Json.NULL) {
            return Optional.empty();
        }
        if (v instanceof String s) {
            return Optional.of(s);
        }
        if (v instanceof Json.Number n) {
            return Optional.of(n.text());
        }
        if (v instanceof Boolean b) {
            return Optional.of(b.toString());
        }
        throw invalidConfig(key + " must be a string");
    }

    private static int intSetting(Map<?, ?> config, String key, int dflt, int min) {
        Optional<String> v = setting(config, key);
        if (v.isEmpty()) {
            return dflt;
        }
        try {
            int n = Integer.parseInt(v.get().trim());
            if (n < min) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw invalidConfig(key + " must be an integer of at least " + min + ", not '" + v.get() + "'");
        }
    }

    // ---------------------------------------------------------------- subscription, positions, offsets

    private static void subscribe(ConsumerInstance instance, Object body) {
        if (!(body instanceof Map<?, ?> m)) {
            throw RestError.badBody("The request body must be a JSON object");
        }
        Object topics = m.get("topics");
        Object pattern = m.get("topic_pattern");
        boolean hasTopics = topics != null && topics != Json.NULL;
        boolean hasPattern = pattern != null && pattern != Json.NULL;
        if (hasTopics == hasPattern) {
            throw RestError.badBody("Give either \"topics\" (an array of names) or \"topic_pattern\" (a regular expression)");
        }
        if (hasPattern) {
            if (!(pattern instanceof String regex)) {
                throw RestError.badBody("\"topic_pattern\" must be a string");
            }
            try {
                instance.subscribe(List.of(), Pattern.compile(regex));
            } catch (PatternSyntaxException e) {
                throw RestError.badBody("\"topic_pattern\" is not a regular expression: " + e.getDescription());
            }
            return;
        }
        if (!(topics instanceof List<?> list) || list.isEmpty()) {
            throw RestError.badBody("\"topics\" must be a non-empty array of topic names");
        }
        List<String> names = new ArrayList<>();
        for (Object t : list) {
            if (!(t instanceof String s) || s.isEmpty()) {
                throw RestError.badBody("\"topics\" must be a non-empty array of topic names");
            }
            names.add(s);
        }
        instance.subscribe(names, null);
    }

    private static List<PartitionKey> partitions(Object body, String member) {
        if (!(body instanceof Map<?, ?> m) || !(m.get(member) instanceof List<?> items)) {
            throw RestError.badBody("The request body must be an object with an array \"" + member + "\"");
        }
        List<PartitionKey> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            out.add(partition(items.get(i), member + "[" + i + "]"));
        }
        return out;
    }

    private static PartitionKey partition(Object item, String where) {
        if (!(item instanceof Map<?, ?> p) || !(p.get("topic") instanceof String topic) || topic.isEmpty()) {
            throw RestError.badBody(where + " must be an object with \"topic\" and \"partition\"");
        }
        return new PartitionKey(topic, (int) number(p.get("partition"), where + ".partition", Integer.MAX_VALUE));
    }

    private static long number(Object v, String where, long max) {
        try {
            long n = Long.parseLong(((Json.Number) v).text());
            if (n < 0 || n > max) {
                throw new NumberFormatException();
            }
            return n;
        } catch (ClassCastException | NullPointerException | NumberFormatException e) {
            throw new RestError(422, 42202, where + " must be a non-negative integer");
        }
    }

    private static Map<PartitionKey, Long> offsets(Object body) {
        if (!(body instanceof Map<?, ?> m) || !(m.get("offsets") instanceof List<?> items)) {
            throw RestError.badBody("The request body must be an object with an array \"offsets\"");
        }
        Map<PartitionKey, Long> out = new LinkedHashMap<>();
        for (int i = 0; i < items.size(); i++) {
            PartitionKey p = partition(items.get(i), "offsets[" + i + "]");
            out.put(p, number(((Map<?, ?>) items.get(i)).get("offset"), "offsets[" + i + "].offset", Long.MAX_VALUE));
        }
        return out;
    }

    /** Explicit commits: as in Confluent's proxy, each entry names the last record consumed, so offset + 1 is committed. */
    private static List<OffsetCommit> commits(Object body) {
        Map<?, ?> m = (Map<?, ?>) body;
        if (!(m.get("offsets") instanceof List<?> items)) {
            throw RestError.badBody("\"offsets\" must be an array");
        }
        List<OffsetCommit> out = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            PartitionKey p = partition(items.get(i), "offsets[" + i + "]");
            Map<?, ?> item = (Map<?, ?>) items.get(i);
            long offset = number(item.get("offset"), "offsets[" + i + "].offset", Long.MAX_VALUE - 1);
            Object metadata = item.get("metadata");
            out.add(new OffsetCommit(p.topic(), p.partition(), offset + 1, -1,
                    metadata instanceof String s ? s : ""));
        }
        return out;
    }

    private static Response committedResponse(List<FetchedOffset> committed) {
        List<Object> offsets = new ArrayList<>();
        for (FetchedOffset f : committed) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("topic", f.topic());
            o.put("partition", f.partition());
            o.put("offset", f.offset());
            o.put("metadata", f.metadata());
            offsets.add(o);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("offsets", offsets);
        return Response.ok(out);
    }

    private static List<Object> partitionList(List<PartitionKey> partitions) {
        List<Object> out = new ArrayList<>();
        for (PartitionKey p : partitions) {
            Map<String, Object> o = new LinkedHashMap<>();
            o.put("topic", p.topic());
            o.put("partition", p.partition());
            out.add(o);
        }
        return out;
    }

    // ---------------------------------------------------------------- records

    private static CompletableFuture<Response> records(ConsumerInstance instance, Request request) {
        String type = instance.config.format() == Format.BINARY ? RestApi.BINARY_FORMAT : RestApi.JSON_FORMAT;
        if (!accepts(request.accept(), type)) {
            throw new RestError(406, RestError.CONSUMER_FORMAT_MISMATCH,
                    "The requested embedded data format does not match the deserializer for this consumer instance");
        }
        long timeout = queryNumber(request, "timeout", instance.config.requestTimeoutMs());
        long maxBytes = queryNumber(request, "max_bytes", DEFAULT_MAX_BYTES);
        return instance.records(timeout, maxBytes).toCompletableFuture().thenApply(records -> {
            List<Object> out = new ArrayList<>(records.size());
            for (RecordPoll.Fetched r : records) {
                Map<String, Object> o = new LinkedHashMap<>();
                o.put("topic", r.topic());
                o.put("key", r.key());
                o.put("value", r.value());
                o.put("partition", r.partition());
                o.put("offset", r.offset());
                out.add(o);
            }
            return new Response(200, Json.write(out), type);
        });
    }

    /**
     * Whether an Accept header admits {@code type}: absent, a wildcard, the type itself, or the
     * proxy's generic {@code application/vnd.kafka.v2+json} / {@code application/json}. Naming only
     * other types (another embedded format) is a mismatch.
     */
    static boolean accepts(String accept, String type) {
        if (accept == null || accept.isBlank()) {
            return true;
        }
        for (String item : accept.split(",")) {
            String t = item.split(";", 2)[0].trim().toLowerCase(Locale.ROOT);
            if (t.equals(type) || t.equals("*/*") || t.equals("application/*")) {
                return true;
            }
        }
        return false;
    }

    private static long queryNumber(Request request, String key, long dflt) {
        List<String> values = request.query().get(key);
        if (values == null || values.isEmpty()) {
            return dflt;
        }
        try {
            long n = Long.parseLong(values.get(0).trim());
            if (n < 0) {
                throw new NumberFormatException();
            }
            return n;
        } catch (NumberFormatException e) {
            throw new RestError(400, 400, "Query parameter " + key + " must be a non-negative integer");
        }
    }

    // ---------------------------------------------------------------- plumbing

    private Object body(Request request) {
        if (request.body().length == 0 || new String(request.body(), java.nio.charset.StandardCharsets.UTF_8).isBlank()) {
            return Map.of();
        }
        try {
            return json.parse(request.body());
        } catch (JsonException e) {
            throw RestError.badBody(e.getMessage());
        }
    }

    static Response errorResponse(Throwable failure) {
        Throwable cause = ConsumerInstance.unwrap(failure);
        if (cause instanceof RestError e) {
            return Response.error(e.status(), e.errorCode(), e.getMessage());
        }
        if (cause instanceof BrokerException e) {
            return Response.error(500, RestError.KAFKA_ERROR, "Kafka error: " + e.error() + ": " + e.getMessage());
        }
        return Response.error(500, RestError.KAFKA_ERROR, "Kafka error: " + cause);
    }

    private static CompletableFuture<Response> done(Response r) {
        return CompletableFuture.completedFuture(r);
    }

    private static CompletableFuture<Response> notAllowed() {
        return done(Response.error(405, 405, "HTTP 405 Method Not Allowed"));
    }
}
