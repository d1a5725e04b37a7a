package io.cairn.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;

import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.xml.sax.SAXException;

/**
 * A Karaf features repository (any {@code http://karaf.apache.org/xmlns/features/v1.x} namespace)
 * read for the launcher, and the resolution of feature names to the ordered set of bundles to
 * install.
 *
 * <p>Understood: {@code <feature name version>} with {@code <feature version>} dependencies and
 * {@code <bundle start-level start>} entries; {@code <details>} is ignored. Everything else that
 * Karaf knows ({@code <config>}, {@code <configfile>}, {@code <conditional>}, {@code <repository>},
 * requirements and capabilities, ...) is rejected when the file is read, so that a feature never
 * silently means less here than it does in Karaf. Karaf's {@code dependency} and
 * {@code prerequisite} flags are accepted and change nothing: every bundle of every resolved
 * feature is installed, dependencies first.
 *
 * <p>Immutable and thread-safe once read.
 */
final class FeaturesRepository {

    private static final String NAMESPACE_PREFIX = "http://karaf.apache.org/xmlns/features/v1.";

    private final String source;
    /** Feature name to its declared versions, highest first. */
    private final Map<String, List<Feature>> features;

    private FeaturesRepository(String source, Map<String, List<Feature>> features) {
        this.source = source;
        this.features = features;
    }

    /**
     * One feature as declared.
     *
     * @param name         the feature's name
     * @param version      its version, cleaned to an OSGi version ({@code 0.1.0-SNAPSHOT} →
     *                     {@code 0.1.0.SNAPSHOT}) as Karaf does
     * @param dependencies the {@code <feature>} children, in order
     * @param bundles      the {@code <bundle>} children, in order
     */
    record Feature(String name, Version version, List<Dependency> dependencies, List<BundleSpec> bundles) {

        String id() {
            return name + "/" + version;
        }
    }

    /**
     * A {@code <feature>} dependency.
     *
     * @param name    the feature depended on
     * @param version as written: empty for "the highest", a range such as {@code [1,2)}, or an
     *                exact version
     */
    record Dependency(String name, String version) {
    }

    /** Reads and validates a features file. */
    static FeaturesRepository read(Path file) throws LaunchException {
        try (InputStream in = Files.newInputStream(file)) {
            return read(in, file.toString());
        } catch (IOException e) {
            throw new LaunchException("Cannot read features file " + file + ": " + e.getMessage(), e);
        }
    }

    /**
     * Reads and validates a features document.
     *
     * @param source names the document in error messages
     */
    static FeaturesRepository read(InputStream in, String source) throws LaunchException {
        Document document;
        try {
            document = newDocumentBuilder().parse(in, source);
        } catch (SAXException | IOException e) {
            throw new LaunchException("Cannot parse features file " + source + ": " + e.getMessage(), e);
        }
        Element root = document.getDocumentElement();
        if (!isKarafElement(root, "features")) {
            throw new LaunchException(source + ": root element must be <features> in a Karaf features namespace ("
                    + NAMESPACE_PREFIX + "x.y), found <" + root.getTagName() + "> in " + root.getNamespaceURI());
        }
        Map<String, List<Feature>> features = new TreeMap<>();
        for (Element child : children(root)) {
            if (!isKarafElement(child, "feature")) {
                throw unsupported(source, "<" + child.getLocalName() + "> in <features>");
            }
            Feature feature = readFeature(child, source);
            List<Feature> versions = features.computeIfAbsent(feature.name(), n -> new ArrayList<>());
            if (versions.stream().anyMatch(f -> f.version().equals(feature.version()))) {
                throw new LaunchException(source + ": feature " + feature.id() + " is declared twice");
            }
            versions.add(feature);
            versions.sort(Comparator.comparing(Feature::version).reversed());
        }
        return new FeaturesRepository(source, features);
    }

    /** Every feature, each version, in name order. */
    Collection<Feature> features() {
        return features.values().stream().flatMap(List::stream).collect(Collectors.toList());
    }

    /**
     * The bundles of the named features and, depth first, of the features they depend on:
     * dependencies before dependents, each bundle once (at the place it is first reached).
     *
     * @param names features to resolve, each at its highest declared version
     * @throws LaunchException for an unknown feature, a dependency no declared version satisfies,
     *                         or a dependency cycle
     */
    List<BundleSpec> resolve(List<String> names) throws LaunchException {
        Map<MavenCoordinates, BundleSpec> bundles = new LinkedHashMap<>();
        Set<String> done = new LinkedHashSet<>();
        for (String name : names) {
            visit(find(name, "", "the boot feature list"), new ArrayList<>(), done, bundles);
        }
        return List.copyOf(bundles.values());
    }

    private void visit(Feature feature, List<String> path, Set<String> done, Map<MavenCoordinates, BundleSpec> bundles)
            throws LaunchException {
        if (done.contains(feature.id())) {
            return;
        }
        if (path.contains(feature.id())) {
            throw new LaunchException(source + ": features depend on each other in a cycle: "
                    + String.join(" -> ", path) + " -> " + feature.id());
        }
        path.add(feature.id());
        for (Dependency dependency : feature.dependencies()) {
            visit(find(dependency.name(), dependency.version(), "feature " + feature.id()), path, done, bundles);
        }
        for (BundleSpec bundle : feature.bundles()) {
            bundles.merge(bundle.coordinates(), bundle, BundleSpec::mergedWith);
        }
        path.remove(path.size() - 1);
        done.add(feature.id());
    }

    /** The highest declared version of {@code name} that {@code version} accepts. */
    private Feature find(String name, String version, String wantedBy) throws LaunchException {
        List<Feature> candidates = features.get(name);
        if (candidates == null) {
            throw new LaunchException(source + ": no feature named '" + name + "' (wanted by " + wantedBy
                    + "); known features: " + String.join(", ", features.keySet()));
        }
        Optional<Feature> match;
        try {
            if (version.isEmpty() || version.equals("0.0.0")) {
                match = Optional.of(candidates.get(0));
            } else if (version.startsWith("[") || version.startsWith("(")) {
                VersionRange range = new VersionRange(version);
                match = candidates.stream().filter(f -> range.includes(f.version())).findFirst();
            } else {
                Version exact = cleanVersion(version);
                match = candidates.stream().filter(f -> f.version().equals(exact)).findFirst();
            }
        } catch (IllegalArgumentException e) {
            throw new LaunchException(source + ": feature '" + name + "' wanted by " + wantedBy
                    + " with an invalid version '" + version + "': " + e.getMessage(), e);
        }
        return match.orElseThrow(() -> new LaunchException(source + ": feature '" + name + "' version " + version
                + " (wanted by " + wantedBy + ") is not declared; declared versions: "
                + candidates.stream().map(f -> f.version().toString()).collect(Collectors.joining(", "))));
    }

    private static Feature readFeature(Element element, String source) throws LaunchException {
        String name = element.getAttribute("name").trim();
        if (name.isEmpty()) {
            throw new LaunchException(source + ": a <feature> has no name");
        }
        String rawVersion = element.getAttribute("version").trim();
        Version version;
        try {
            version = rawVersion.isEmpty() ? Version.emptyVersion : cleanVersion(rawVersion);
        } catch (IllegalArgumentException e) {
            throw new LaunchException(source + ", feature " + name + ": " + e.getMessage(), e);
        }
        List<Dependency> dependencies = new ArrayList<>();
        List<BundleSpec> bundles = new ArrayList<>();
        for (Element child : children(element)) {
            String where = "feature " + name + "/" + version;
            if (isKarafElement(child, "feature")) {
                dependencies.add(new Dependency(child.getTextContent().trim(), child.getAttribute("version").trim()));
            } else if (isKarafElement(child, "bundle")) {
                bundles.add(readBundle(child, source, where));
            } else if (!isKarafElement(child, "details")) {
                throw unsupported(source, "<" + child.getLocalName() + "> in " + where);
            }
        }
        return new Feature(name, version, List.copyOf(dependencies), List.copyOf(bundles));
    }

    private static BundleSpec readBundle(Element element, String source, String where) throws LaunchException {
        MavenCoordinates coordinates;
        try {
            coordinates = MavenCoordinates.parse(element.getTextContent().trim());
        } catch (IllegalArgumentException e) {
            throw new LaunchException(source + ", " + where + ": " + e.getMessage(), e);
        }
        int startLevel = BundleSpec.DEFAULT_START_LEVEL;
        String level = element.getAttribute("start-level").trim();
        if (!level.isEmpty()) {
            try {
                startLevel = Integer.parseInt(level);
            } catch (NumberFormatException e) {
                throw new LaunchException(source + ", " + where + ": start-level '" + level + "' is not a number", e);
            }
        }
        String start = element.getAttribute("start").trim();
        return new BundleSpec(coordinates, startLevel, start.isEmpty() || Boolean.parseBoolean(start));
    }

    /** Karaf's version cleanup, reduced to what Maven versions need: {@code 1.2-SNAPSHOT} → {@code 1.2.0.SNAPSHOT}. */
    private static final Pattern MAVEN_VERSION = Pattern.compile("(\\d+)(?:\\.(\\d+))?(?:\\.(\\d+))?(?:[.\\-_]?(.*))?");

    static Version cleanVersion(String version) {
        try {
            return Version.parseVersion(version);
        } catch (IllegalArgumentException notOsgi) {
            Matcher m = MAVEN_VERSION.matcher(version);
            if (!m.matches()) {
                throw new IllegalArgumentException("Not a version: '" + version + "'", notOsgi);
            }
            String qualifier = m.group(4) == null ? "" : m.group(4).replaceAll("[^A-Za-z0-9_\\-]", "_");
            return new Version(Integer.parseInt(m.group(1)),
                    m.group(2) == null ? 0 : Integer.parseInt(m.group(2)),
                    m.group(3) == null ? 0 : Integer.parseInt(m.group(3)),
                    qualifier);
        }
    }

    private static boolean isKarafElement(Element element, String localName) {
        String namespace = element.getNamespaceURI();
        return localName.equals(element.getLocalName()) && namespace != null && namespace.startsWith(NAMESPACE_PREFIX);
    }

    private static List<Element> children(Element parent) {
        List<Element> elements = new ArrayList<>();
        for (Node node = parent.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element) {
                elements.add((Element) node);
            }
        }
        return elements;
    }

    private static LaunchException unsupported(String source, String what) {
        return new LaunchException(source + ": " + what + " is not supported by the Cairn launcher "
                + "(it understands <feature>, <bundle> and <details>)");
    }

    private static DocumentBuilder newDocumentBuilder() throws LaunchException {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            // A features file is configuration, not a place for entities or remote DTDs.
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            return factory.newDocumentBuilder();
        } catch (ParserConfigurationException e) {
            throw new LaunchException("No usable XML parser: " + e.getMessage(), e);
        }
    }
}
