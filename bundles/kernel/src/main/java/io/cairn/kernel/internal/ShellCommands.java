package io.cairn.kernel.internal;

import java.util.stream.Collectors;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

import io.cairn.broker.spi.cluster.BrokerInfo;
import io.cairn.broker.spi.cluster.ClusterView;
import io.cairn.broker.spi.cluster.LocalBroker;
import io.cairn.broker.spi.cluster.PartitionState;
import io.cairn.broker.spi.cluster.PluginCatalog;
import io.cairn.broker.spi.cluster.PluginInfo;
import io.cairn.broker.spi.cluster.TopicInfo;

/**
 * Gogo shell commands in scope {@code cairn}: {@code cairn:plugins}, {@code cairn:broker},
 * {@code cairn:topics}. Gogo finds them by the {@code osgi.command.*} service properties, so the
 * kernel does not import the shell: without Gogo they are simply unused.
 */
@Component(service = ShellCommands.class, property = {
    "osgi.command.scope=cairn",
    "osgi.command.function=plugins",
    "osgi.command.function=broker",
    "osgi.command.function=topics"})
public final class ShellCommands {

    private final PluginCatalog catalog;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile LocalBroker broker;

    @Activate
    public ShellCommands(@Reference PluginCatalog catalog) {
        this.catalog = catalog;
    }

    /** Lists every plugin by kind and name; {@code *} marks the ones the configuration selects. */
    public String plugins() {
        StringBuilder out = new StringBuilder(String.format("%-20s %-14s %-8s %s%n", "KIND", "NAME", "SERVICE", "BUNDLE"));
        for (PluginInfo p : catalog.plugins()) {
            out.append(String.format("%-20s %-14s %-8d %s%s%n", p.kind(), p.name() + (p.selected() ? " *" : ""),
                    p.serviceId(), p.bundle(), ""));
        }
        return out.toString();
    }

    /** Shows this broker: id, cluster, controller, listeners, live brokers. */
    public String broker() {
        LocalBroker b = broker;
        if (b == null) {
            return "The broker is not running (no metadata store, or no configuration).";
        }
        ClusterView c = b.cluster();
        StringBuilder out = new StringBuilder();
        out.append("broker.id   ").append(b.brokerId()).append('\n');
        out.append("cluster.id  ").append(c.clusterId()).append('\n');
        out.append("controller  ").append(c.controllerId()).append('\n');
        out.append("listeners   ").append(b.config().listeners().stream().map(e -> e.connectionString())
                .collect(Collectors.joining(","))).append('\n');
        out.append("log.dirs    ").append(b.config().logDirs()).append('\n');
        for (BrokerInfo info : c.brokers()) {
            out.append("live broker ").append(info.id()).append(' ').append(info.endpoints().stream()
                    .map(e -> e.connectionString()).collect(Collectors.joining(","))).append('\n');
        }
        return out.toString();
    }

    /** Lists topics with each partition's leader, replicas and in-sync replicas. */
    public String topics() {
        LocalBroker b = broker;
        if (b == null) {
            return "The broker is not running.";
        }
        StringBuilder out = new StringBuilder();
        for (TopicInfo t : b.cluster().topics()) {
            out.append(t.name()).append(" (").append(t.partitions().size()).append(" partitions)\n");
            for (PartitionState p : t.partitions()) {
                out.append(String.format("  %-4d leader %-4d epoch %-4d replicas %s isr %s%n", p.partition(),
                        p.leader(), p.leaderEpoch(), p.replicas(), p.isr()));
            }
        }
        return out.length() == 0 ? "No topics.\n" : out.toString();
    }
}
