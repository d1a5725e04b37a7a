package io.cairn.kernel.internal;

import java.io.IOException;
import java.io.StringReader;
import java.util.Hashtable;
import java.util.Map;
import java.util.Properties;

import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Hands the launcher's {@code server.properties} (with {@code --override}s already applied) to
 * ConfigurationAdmin as PID {@value BrokerConfigDefinition#PID}, which every broker component
 * reads. The launcher passes the merged file as framework property {@value #CONFIG} (in
 * {@link Properties} text form) plus {@code cairn.home} and {@code cairn.working.dir}. Without
 * that property (inside a test container, say) it does nothing and the configuration comes from
 * whoever sets the PID.
 *
 * <p>Values set while the broker ran ({@link DynamicBrokerConfig}) are laid over the file's, as
 * Kafka's dynamic broker configs win over its {@code server.properties}.
 *
 * <p>A configuration the kernel cannot use stops the framework with a message naming the key, as
 * Kafka refuses to start on a bad {@code server.properties}.
 */
@Component(immediate = true)
public final class ServerPropertiesLoader {

    static final String CONFIG = "cairn.server.config";
    static final String SOURCE = "cairn.server.config.source";

    private static final Logger LOG = LoggerFactory.getLogger(ServerPropertiesLoader.class);

    @Activate
    public ServerPropertiesLoader(BundleContext context, @Reference ConfigurationAdmin configAdmin) throws IOException {
        String text = context.getProperty(CONFIG);
        if (text == null) {
            LOG.debug("No {} framework property: broker configuration is left to ConfigurationAdmin", CONFIG);
            return;
        }
        Properties file = new Properties();
        file.load(new StringReader(text));
        Hashtable<String, Object> props = new Hashtable<>();
        file.stringPropertyNames().forEach(k -> props.put(k, file.getProperty(k)));
        for (String key : new String[] {KafkaBrokerConfig.HOME, KafkaBrokerConfig.WORKING_DIR}) {
            String v = context.getProperty(key);
            if (v != null) {
                props.putIfAbsent(key, v);
            }
        }
        KafkaBrokerConfig checked;
        try {
            checked = KafkaBrokerConfig.of(props);
        } catch (IllegalArgumentException e) {
            LOG.error("Invalid broker configuration in {}: {}. Stopping.", context.getProperty(SOURCE), e.getMessage());
            try {
                context.getBundle(0).stop();
            } catch (BundleException stop) {
                LOG.error("Could not stop the framework", stop);
            }
            return;
        }
        // Resolved, absolute log directories: every component then agrees on where data lives.
        props.put("log.dirs", String.join(",", checked.logDirs().stream().map(Object::toString).toList()));
        // Dynamic values (kafka-configs --entity-type brokers) win over server.properties, as in Kafka.
        Map<String, String> dynamic = DynamicBrokerConfig.read(DynamicBrokerConfig.file(checked.logDirs().get(0)));
        if (!dynamic.isEmpty()) {
            LOG.info("Dynamic broker configuration over {}: {}", context.getProperty(SOURCE), dynamic);
            props.putAll(dynamic);
        }
        Configuration configuration = configAdmin.getConfiguration(BrokerConfigDefinition.PID, "?");
        boolean changed = configuration.updateIfDifferent(props);
        LOG.debug("Broker configuration from {} {}", context.getProperty(SOURCE), changed ? "applied" : "unchanged");
    }
}
