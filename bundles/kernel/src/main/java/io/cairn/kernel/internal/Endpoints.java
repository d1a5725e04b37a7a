package io.cairn.kernel.internal;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.cairn.broker.spi.cluster.Endpoint;

/** Parses Kafka's listener lists, {@code NAME://host:port[,NAME://host:port]}. Stateless. */
final class Endpoints {

    private Endpoints() {
    }

    static List<Endpoint> parse(String key, String text, Map<String, String> protocols) {
        if (text == null || text.isBlank()) {
            throw new IllegalArgumentException(key + " must name at least one listener");
        }
        List<Endpoint> result = new ArrayList<>();
        Set<String> names = new HashSet<>();
        for (String item : text.split(",")) {
            String s = item.trim();
            int sep = s.indexOf("://");
            int colon = s.lastIndexOf(':');
            if (sep <= 0 || colon <= sep + 2) {
                throw new IllegalArgumentException(key + ": '" + s + "' is not NAME://host:port");
            }
            String name = s.substring(0, sep).toUpperCase();
            String host = s.substring(sep + 3, colon);
            if (host.startsWith("[") && host.endsWith("]")) {
                host = host.substring(1, host.length() - 1);
            }
            int port;
            try {
                port = Integer.parseInt(s.substring(colon + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException(key + ": bad port in '" + s + "'");
            }
            if (port < 0 || port > 65535) {
                throw new IllegalArgumentException(key + ": port out of range in '" + s + "'");
            }
            String protocol = protocols.get(name);
            if (protocol == null) {
                throw new IllegalArgumentException(key + ": listener " + name
                        + " has no entry in listener.security.protocol.map");
            }
            if (!names.add(name)) {
                throw new IllegalArgumentException(key + ": listener name " + name + " appears twice");
            }
            result.add(new Endpoint(name, protocol, host, port));
        }
        return List.copyOf(result);
    }
}
