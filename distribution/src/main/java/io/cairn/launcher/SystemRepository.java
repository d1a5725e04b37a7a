package io.cairn.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The distribution's {@code system/} directory: bundles in Maven repository layout, as in Karaf.
 * The only place the launcher installs bundles from.
 *
 * <p>Immutable and thread-safe.
 */
final class SystemRepository {

    private final Path root;

    SystemRepository(Path root) {
        this.root = root;
    }

    Path root() {
        return root;
    }

    /** Where {@code bundle} must be. */
    Path fileOf(BundleSpec bundle) {
        return root.resolve(bundle.coordinates().repositoryPath());
    }

    /**
     * Maps each bundle to its file.
     *
     * @throws LaunchException listing every bundle whose file is not there, with the path expected
     */
    List<FelixRuntime.Installable> locate(List<BundleSpec> bundles) throws LaunchException {
        List<FelixRuntime.Installable> located = new ArrayList<>();
        List<String> missing = new ArrayList<>();
        for (BundleSpec bundle : bundles) {
            Path file = fileOf(bundle);
            if (Files.isRegularFile(file)) {
                located.add(new FelixRuntime.Installable(bundle, file));
            } else {
                missing.add(bundle.location() + " -> " + file);
            }
        }
        if (!missing.isEmpty()) {
            throw new LaunchException(missing.size() + " bundle(s) named by the features are missing from " + root
                    + ":\n  " + String.join("\n  ", missing));
        }
        return located;
    }

    /** Files under {@code system/} that none of {@code bundles} maps to, relative to {@code system/}. */
    Set<String> unreferenced(Collection<BundleSpec> bundles) throws IOException {
        Set<Path> referenced = bundles.stream().map(this::fileOf).map(Path::normalize).collect(Collectors.toSet());
        if (!Files.isDirectory(root)) {
            return new TreeSet<>();
        }
        try (Stream<Path> files = Files.walk(root)) {
            return files.filter(Files::isRegularFile)
                    .map(Path::normalize)
                    .filter(file -> !referenced.contains(file))
                    .map(file -> root.relativize(file).toString())
                    .collect(Collectors.toCollection(TreeSet::new));
        }
    }
}
