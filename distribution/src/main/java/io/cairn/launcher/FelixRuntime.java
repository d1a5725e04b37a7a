package io.cairn.launcher;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.SynchronousBundleListener;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.BundleStartLevel;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.resource.Namespace;

/**
 * The embedded OSGi framework (Felix, found through {@link ServiceLoader}) and the bundles the
 * launcher put into it.
 *
 * <p>Boot order: {@code init()}, install every bundle (by {@code file:} location in
 * {@code system/}, in feature order) at its start level, {@code start()} the framework (already at
 * the highest start level, with nothing marked started yet), resolve everything at once, then start
 * each bundle that is neither a fragment nor marked {@code start="false"}, in ascending start level
 * (feature order within a level). Starting the bundles one by one, rather than letting the
 * start-level ramp do it, is what gives the launcher each bundle's resolution error to report. A
 * stop goes the other way: Felix stops by descending start level, and within a level in reverse
 * order of installation.
 *
 * <p>Thread-safety: {@link #boot} runs on the launcher's main thread; {@link #stop} may be called
 * from any thread (signal handler, shutdown hook) at any time.
 */
final class FelixRuntime {

    /** A bundle to install: what the features file says, and the file it maps to. */
    record Installable(BundleSpec spec, Path file) {
    }

    private record Installed(BundleSpec spec, Bundle bundle) {
    }

    private final Framework framework;
    private final LauncherLog log;

    private FelixRuntime(Framework framework, LauncherLog log) {
        this.framework = framework;
        this.log = log;
    }

    /**
     * Creates (but does not initialise) the framework. The caller must have cleared the thread
     * context class loader (OSGI-NOTES P11).
     */
    static FelixRuntime create(Map<String, String> config, LauncherLog log) throws LaunchException {
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class, FelixRuntime.class.getClassLoader())
                .findFirst()
                .orElseThrow(() -> new LaunchException("No OSGi framework on the class path: lib/ must hold "
                        + "the Felix framework jar named in the launcher jar's Class-Path"));
        return new FelixRuntime(factory.newFramework(config), log);
    }

    /**
     * Installs and starts the bundles.
     *
     * @return the number of bundles installed
     * @throws LaunchException naming each bundle that could not be installed, resolved or started,
     *                         with the requirement that was not met. The framework is left
     *                         running; the caller stops it.
     */
    int boot(List<Installable> bundles) throws LaunchException {
        List<Installed> installed = new ArrayList<>();
        try {
            framework.init();
            BundleContext context = framework.getBundleContext();
            // Synchronous, so it runs while the SLF4J bundle is still there to log it.
            context.addBundleListener((SynchronousBundleListener) event -> {
                if (event.getBundle().getBundleId() == 0 && event.getType() == BundleEvent.STOPPING) {
                    log.info("Stopping Cairn");
                }
            });
            for (Installable installable : bundles) {
                Bundle bundle = install(context, installable);
                bundle.adapt(BundleStartLevel.class).setStartLevel(installable.spec().startLevel());
                installed.add(new Installed(installable.spec(), bundle));
            }
            framework.start();
        } catch (BundleException e) {
            throw new LaunchException("The OSGi framework did not start: " + e.getMessage(), e);
        }

        FrameworkWiring wiring = framework.adapt(FrameworkWiring.class);
        wiring.resolveBundles(null);
        log.useSlf4jFrom(framework.getBundleContext());

        List<String> failures = new ArrayList<>();
        List<Installed> startOrder = new ArrayList<>(installed);
        startOrder.sort(Comparator.comparingInt(i -> i.spec().startLevel())); // stable: feature order within a level
        for (Installed each : startOrder) {
            Bundle bundle = each.bundle();
            if (isFragment(bundle) || !each.spec().start()) {
                if (bundle.getState() == Bundle.INSTALLED) {
                    failures.add(describe(each) + " did not resolve: " + unsatisfiedRequirements(bundle, wiring));
                }
                continue;
            }
            try {
                bundle.start();
            } catch (BundleException | IllegalStateException e) {
                failures.add(describe(each) + " did not start: " + e.getMessage()
                        + (e.getCause() == null ? "" : " (caused by " + e.getCause() + ")"));
            }
        }
        if (!failures.isEmpty()) {
            throw new LaunchException(failures.size() + " of " + installed.size() + " bundles failed:\n  "
                    + String.join("\n  ", failures));
        }
        return installed.size();
    }

    /** Asks the framework to stop; returns at once. Safe to call more than once. */
    void stop() {
        try {
            framework.stop();
        } catch (BundleException e) {
            log.error("Stopping the OSGi framework failed", e);
        }
    }

    /** Whether the framework is starting or running (so a stop would do something). */
    boolean isRunning() {
        return (framework.getState() & (Bundle.STARTING | Bundle.ACTIVE)) != 0;
    }

    /**
     * Waits for the framework to stop.
     *
     * @param millis 0 for no limit
     */
    FrameworkEvent waitForStop(long millis) throws InterruptedException {
        return framework.waitForStop(millis);
    }

    private static Bundle install(BundleContext context, Installable installable) throws BundleException {
        try {
            return context.installBundle(installable.file().toUri().toString());
        } catch (BundleException e) {
            throw new BundleException("cannot install " + installable.spec().location() + " from "
                    + installable.file() + ": " + e.getMessage(), e.getType(), e);
        }
    }

    private static boolean isFragment(Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        return revision != null && (revision.getTypes() & BundleRevision.TYPE_FRAGMENT) != 0;
    }

    private static String describe(Installed installed) {
        Bundle bundle = installed.bundle();
        return (isFragment(bundle) ? "Fragment " : "Bundle ") + bundle.getSymbolicName() + " " + bundle.getVersion()
                + " (" + installed.spec().location() + ")";
    }

    /**
     * For a bundle the framework cannot be asked to start (a fragment, or {@code start="false"}),
     * the mandatory requirements that no capability in the framework matches.
     */
    private static String unsatisfiedRequirements(Bundle bundle, FrameworkWiring wiring) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        List<String> missing = new ArrayList<>();
        for (BundleRequirement requirement : revision.getDeclaredRequirements(null)) {
            if (Namespace.RESOLUTION_OPTIONAL.equals(requirement.getDirectives().get(Namespace.REQUIREMENT_RESOLUTION_DIRECTIVE))) {
                continue;
            }
            if (wiring.findProviders(requirement).isEmpty()) {
                missing.add("missing requirement " + requirement.getNamespace() + "; "
                        + requirement.getDirectives().get(Namespace.REQUIREMENT_FILTER_DIRECTIVE));
            }
        }
        return missing.isEmpty()
                ? "each of its requirements has a candidate provider, so one of those did not resolve (see above)"
                : String.join("; ", missing);
    }
}
