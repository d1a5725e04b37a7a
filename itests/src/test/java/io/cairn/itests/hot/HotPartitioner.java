package io.cairn.itests.hot;

import java.util.Hashtable;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

import io.cairn.partitioner.spi.PartitionRequest;
import io.cairn.partitioner.spi.Partitioner;

/**
 * The plugin of the hot-deploy test: a partitioner named {@code hot} that always picks the last
 * partition. Packed into a bundle of its own at test time ({@link TestBundles}); a plain activator
 * keeps that bundle free of any build step.
 */
public final class HotPartitioner implements Partitioner, BundleActivator {

    @Override
    public int partition(PartitionRequest record) {
        return record.partitionCount() - 1;
    }

    @Override
    public void start(BundleContext context) {
        Hashtable<String, Object> props = new Hashtable<>();
        props.put(Partitioner.NAME_PROPERTY, "hot");
        context.registerService(Partitioner.class, this, props);
    }

    @Override
    public void stop(BundleContext context) {
        // the framework unregisters the service
    }
}
