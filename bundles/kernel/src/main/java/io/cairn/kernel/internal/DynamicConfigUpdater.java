package io.cairn.kernel.internal;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.Dictionary;
import java.util.Enumeration;
import java.util.Hashtable;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.TreeMap;

import org.osgi.framework.BundleContext;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;

import io.cairn.broker.spi.cluster.BrokerError;
import io.cairn.broker.spi.cluster.BrokerException;

/**
 * Applies a change of this broker's dynamic configuration: checks it, records it in
 * {@link DynamicBrokerConfig}'s file, then updates the broker configuration (PID
 * {@value BrokerConfigDefinition#PID}) so that every component that reads the key follows it
 * ({@code @Modified}; for these keys the kernel keeps its session). Removing a dynamic value
 * restores the {@code server.properties} value, or the default.
 *
 * <p>Thread-safety: {@link #alter} is synchronized, so concurrent changes apply one after another.
 */
final class DynamicConfigUpdater {

    private final BundleContext context;
    private final ConfigurationAdmin configAdmin;
    private final Path file;

    DynamicConfigUpdater(BundleContext context, ConfigurationAdmin configAdmin, Path firstLogDir) {
        this.context = context;
        this.configAdmin = configAdmin;
        this.file = DynamicBrokerConfig.file(firstLogDir);
    }

    /** The dynamic values now in force. */
    Map<String, String> values() {
        return DynamicBrokerConfig.read(file);
    }

    synchronized void alter(Map<String, Optional<String>> changes, boolean replace, boolean validateOnly) {
        Map<String, String> current = values();
        Map<String, String> next = DynamicBrokerConfig.apply(current, changes, replace);
        next.forEach(DynamicConfigUpdater::checkValue);
        try {
            Configuration configuration = configAdmin.getConfiguration(BrokerConfigDefinition.PID, "?");
            Hashtable<String, Object> merged = copy(configuration.getProperties());
            Map<String, String> statics = staticValues();
            for (String key : current.keySet()) {
                if (!next.containsKey(key)) {
                    if (statics.containsKey(key)) {
                        merged.put(key, statics.get(key));
                    } else {
                        merged.remove(key);
                    }
                }
            }
            merged.putAll(next);
            try {
                KafkaBrokerConfig.of(merged);
            } catch (IllegalArgumentException e) {
                throw new BrokerException(BrokerError.INVALID_CONFIG, e.getMessage());
            }
            if (validateOnly) {
                return;
            }
            DynamicBrokerConfig.write(file, next);
            configuration.updateIfDifferent(merged);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot change the dynamic broker configuration: " + e.getMessage(), e);
        }
    }

    /** Numbers where Kafka's keys take numbers: {@code *.ms}, {@code *.minutes}, {@code *.size}. */
    private static void checkValue(String key, String value) {
        if (key.endsWith(".ms") || key.endsWith(".minutes") || key.endsWith(".size")) {
            try {
                Long.parseLong(value);
            } catch (NumberFormatException e) {
                throw new BrokerException(BrokerError.INVALID_CONFIG,
                        "Invalid value " + value + " for configuration " + key + ": Not a number of type LONG");
            }
        }
    }

    /** The values {@code server.properties} (with {@code --override}s) gave, if the launcher passed them. */
    private Map<String, String> staticValues() throws IOException {
        String text = context.getProperty(ServerPropertiesLoader.CONFIG);
        Map<String, String> out = new TreeMap<>();
        if (text != null) {
            Properties p = new Properties();
            p.load(new StringReader(text));
            p.stringPropertyNames().forEach(k -> out.put(k, p.getProperty(k)));
        }
        return out;
    }

    private static Hashtable<String, Object> copy(Dictionary<String, Object> props) {
        Hashtable<String, Object> out = new Hashtable<>();
        if (props != null) {
            for (Enumeration<String> keys = props.keys(); keys.hasMoreElements();) {
                String k = keys.nextElement();
                out.put(k, props.get(k));
            }
        }
        out.remove("service.pid");
        return out;
    }
}
