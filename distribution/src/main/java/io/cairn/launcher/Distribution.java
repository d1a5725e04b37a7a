package io.cairn.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;
import java.util.jar.Manifest;

/**
 * What an installed distribution would run, for tools and tests that provision a framework of
 * their own (Pax Exam, for one) from the same declaration as {@code bin/cairn}: the launcher's own
 * resolution of {@code etc/features.xml} to files in {@code system/}.
 *
 * <p>Stateless and thread-safe.
 */
public final class Distribution {

    private Distribution() {
    }

    /**
     * One bundle to install.
     *
     * @param location   the {@code mvn:} location in the features file
     * @param file       the bundle's file in {@code system/}
     * @param startLevel its start level (Karaf's default, 80, unless the feature says otherwise)
     * @param start      whether to start it: false for a fragment or a bundle marked
     *                   {@code start="false"}
     */
    public record Bundle(String location, Path file, int startLevel, boolean start) {
    }

    /**
     * The bundles of {@code features} and the features they depend on, in install order.
     *
     * @param home     the distribution's directory (with {@code etc/features.xml} and {@code system/})
     * @param features feature names, for example {@code cairn-runtime} and {@code cairn}
     * @throws IllegalStateException with the launcher's message if a feature is unknown, the file
     *                               is invalid or a bundle is missing from {@code system/}
     */
    public static List<Bundle> bundles(Path home, List<String> features) {
        try {
            List<BundleSpec> specs = FeaturesRepository.read(home.resolve("etc/features.xml")).resolve(features);
            List<Bundle> bundles = new ArrayList<>();
            for (FelixRuntime.Installable each : new SystemRepository(home.resolve("system")).locate(specs)) {
                BundleSpec spec = each.spec();
                bundles.add(new Bundle(spec.location(), each.file(), spec.startLevel(),
                        spec.start() && !isFragment(each.file())));
            }
            return List.copyOf(bundles);
        } catch (LaunchException e) {
            throw new IllegalStateException(e.getMessage(), e);
        }
    }

    private static boolean isFragment(Path jar) throws LaunchException {
        try (JarFile file = new JarFile(jar.toFile())) {
            Manifest manifest = file.getManifest();
            return manifest != null && manifest.getMainAttributes().getValue("Fragment-Host") != null;
        } catch (IOException e) {
            throw new LaunchException("Cannot read the manifest of " + jar + ": " + e.getMessage(), e);
        }
    }
}
