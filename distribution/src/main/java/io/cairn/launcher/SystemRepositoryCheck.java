package io.cairn.launcher;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Build-time check of an assembled distribution: {@code system/} holds exactly the bundles that
 * {@code etc/features.xml} names, every one of them and nothing else, and the boot features
 * resolve. The features file and the features module's dependency list (which fills
 * {@code system/}) are two lists of the same thing; this is what keeps them the same.
 *
 * <pre>java -cp HOME/lib/cairn-launcher.jar io.cairn.launcher.SystemRepositoryCheck HOME</pre>
 *
 * Run from the distribution's build on the packaged jar, so it also proves the jar's
 * {@code Class-Path} finds the framework. Exit status 0 if all is well, 1 otherwise.
 */
public final class SystemRepositoryCheck {

    private SystemRepositoryCheck() {
    }

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("Usage: SystemRepositoryCheck CAIRN_HOME");
            System.exit(Main.EXIT_USAGE);
        }
        try {
            System.out.println(check(Path.of(args[0]).toAbsolutePath().normalize()));
        } catch (LaunchException | IOException e) {
            System.err.println("Distribution check failed: " + e.getMessage());
            System.exit(Main.EXIT_FAILED);
        }
    }

    static String check(Path home) throws LaunchException, IOException {
        FeaturesRepository features = FeaturesRepository.read(home.resolve("etc/features.xml"));
        Map<MavenCoordinates, BundleSpec> all = new LinkedHashMap<>();
        for (FeaturesRepository.Feature feature : features.features()) {
            for (BundleSpec bundle : feature.bundles()) {
                all.putIfAbsent(bundle.coordinates(), bundle);
            }
        }
        SystemRepository system = new SystemRepository(home.resolve("system"));
        system.locate(new ArrayList<>(all.values()));
        Set<String> extra = system.unreferenced(all.values());
        if (!extra.isEmpty()) {
            throw new LaunchException(extra.size() + " file(s) in " + system.root()
                    + " are named by no feature in etc/features.xml (add them to a feature, or drop them "
                    + "from the features module's dependencies):\n  " + String.join("\n  ", extra));
        }
        List<String> boot = Main.bootFeatures(Main.loadOptional(home.resolve("etc/launcher.properties")));
        int booted = features.resolve(boot).size();
        return "Distribution check: system/ holds exactly the " + all.size() + " bundles of etc/features.xml; "
                + String.join(",", boot) + " resolve to " + booted + " of them";
    }
}
